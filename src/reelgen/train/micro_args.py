"""The options of ``reelgen train-micro train`` and ``evaluate``: each with its meaning and the values it takes."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reelgen.core.spec.request import SEED_LIMIT
from reelgen.train.scenes import heldout_directions


def number(
    kind: type[int] | type[float],
    low: float,
    *,
    above: bool = False,
    high: float | None = None,
    step: int = 1,
    offset: int = 0,
    why: str = "",
) -> Callable[[str], float]:
    """An argparse ``type`` reading ``kind`` within its bounds (and ``offset`` modulo ``step``), else an error
    argparse prints with the option's name before exiting 2; NaN and infinity are never in bounds. ``why``
    says where the bounds come from, after them in the error."""
    # Whole, an integer bound is written out: the largest seed read "at most 9.22337e+18".
    say = (lambda v: str(int(v))) if kind is int else (lambda v: f"{v:g}")
    bound = f"above {say(low)}" if above else f"at least {say(low)}"
    if high is not None:
        bound += f" and at most {say(high)}"
    if step > 1:
        bound += f", {step}k+{offset}" if offset else f", a multiple of {step}"
    if why:
        bound += f" ({why})"

    def read(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            what = "an integer" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        fits = math.isfinite(value) and (value > low if above else value >= low)
        # The step is for whole numbers (sides, frames); 1 leaves a float's fractions alone (0.5 % 1 != 0).
        fits = fits and (high is None or value <= high) and (step == 1 or (value - offset) % step == 0)
        if not fits:
            raise argparse.ArgumentTypeError(f"{text!r} must be {bound}")
        return value

    read.__name__ = kind.__name__  # argparse names the type in some of its messages
    return read


def given_path(text: str) -> str:
    """An argparse ``type`` for a file or folder option: an empty or blank one (an unset shell variable) was
    read as the current folder, so ``train --out ""`` trained into it and ``export --dest ""`` failed inside."""
    if not text.strip():
        raise argparse.ArgumentTypeError("it is empty; give a file or folder path")
    return text


@dataclass(frozen=True)
class Knob:
    """One ``TrainConfig`` field as an option: ``--name`` reads ``kind`` checked by ``check``."""

    name: str
    check: Callable[[str], object]
    help: str

    @property
    def field(self) -> str:
        return self.name.replace("-", "_")


def _positive(kind: type[int] | type[float]) -> Callable[[str], float]:
    return number(kind, 0, above=True)


def _some(kind: type[int] | type[float]) -> Callable[[str], float]:
    return number(kind, 0)


#: A training seed. torch takes seeds below 2**64 and the scripts add offsets to theirs (the scenes' stream,
#: each batch's generator), so generation's own bound is kept: a lip-sync script's --seed 2**64 was
#: torch's "Overflow when unpacking long long" traceback once its data was loaded.
SEED = number(int, 0, high=SEED_LIMIT - 1)

#: reelgen-micro's size rules: sides a multiple of 16 from 32 to 512, 4k+1 frames from 5 to 129.
SIDE = number(int, 32, high=512, step=16)
FRAMES = number(int, 5, high=129, step=4, offset=1)

#: Held-out prompts are one a (colour, shape, direction, background) combination: a count past them only
#: repeated some, and a huge one drew scenes for hours before the first clip.
HELDOUT = len(heldout_directions())
HELDOUT_WHY = f"there are {HELDOUT} held-out colour, shape, direction and background combinations"

#: Processes and threads at most one a CPU core: ``--threads 100000`` crashed torch (segmentation fault)
#: at its first matrix product, and ``--workers 100000`` started as many processes.
CORES = os.cpu_count() or 1
CORES_WHY = f"this machine has {CORES} CPU cores"

#: ``TrainConfig``'s fields offered by ``train`` (default None: the shipped recipe's value, in brackets).
TRAIN_KNOBS = (
    # "evaluation included" held on the H200 only: a CPU run of --seconds 60 ended after 170 s, and with
    # the default 128 held-out prompts it would go on for half an hour.
    Knob(
        "seconds",
        _positive(float),
        "wall-clock budget of the run, which must be longer than --vae-seconds and --eval-seconds "
        "together: the VAE phase, the latent statistics and the transformer's training run in it, training "
        "stopping (after the step under way) --eval-seconds before it for the sampler sweep and held-out "
        "check, which make one sampler setting's clips and every --eval-prompts clip however long they "
        "take (on a CPU about 9 s a 128x128 clip: pass --eval-prompts 0 or a few) [2100]",
    ),
    Knob(
        "vae-seconds", _some(float), "seconds of VAE training before the transformer (0: keep the VAE) [480]"
    ),
    Knob("vae-steps", _some(int), "the VAE phase also ends after this many steps [4000]"),
    Knob(
        "eval-seconds",
        _some(float),
        "seconds kept at the end for evaluation: training stops this long before --seconds, and the sampler "
        "sweep tries another setting only while the held-out check still fits; its first setting and every "
        "--eval-prompts clip are made however long they take (said when that runs past --seconds); none is "
        "kept with --eval-prompts 0 [110]",
    ),
    Knob("seed", SEED, "seed of the scenes, the weights and the sampling [0]"),
    Knob("size", SIDE, "frame side in pixels [128]"),
    Knob("frames", FRAMES, "frames of each training clip [25]"),
    Knob("vae-frames", FRAMES, "frames of each VAE training clip [25]"),
    Knob(
        "vae-crop",
        number(int, 0, step=16),  # the VAE's 2x2 patches and two halvings: 20 failed a step in
        "side of the random square crops the VAE trains on, a multiple of 16 (0: whole frames) [64]",
    ),
    Knob("vae-batch", _positive(int), "clips per VAE step [32]"),
    Knob("vae-lr", _positive(float), "VAE learning rate [1e-3]"),
    Knob("first-frame-weight", _some(float), "loss weight of the first frame (the i2v condition) [2.0]"),
    Knob("batch", _positive(int), "samples per transformer step [128]"),
    Knob("lr", _positive(float), "transformer learning rate [5e-4]"),
    Knob("warmup", _some(int), "learning-rate warm-up steps of this run [300]"),
    Knob("pool", _positive(int), "encoded clips kept to sample batches from [8192]"),
    Knob("stats-clips", _positive(int), "clips whose latents set the per-channel mean and std [512]"),
    Knob(
        "refresh",
        _some(int),
        "fresh clips encoded into the pool every step, no more than the pool holds (--pool) [32]",
    ),
    Knob(
        "workers",
        number(int, 0, high=CORES, why=CORES_WHY),
        f"processes drawing scenes, at most {CORES} here (0: in this process) [0]",
    ),
    Knob("device", str, "cuda, cuda:N or cpu (a smoke run) [cuda]"),
    Knob("checkpoint-every", _positive(float), "seconds between checkpoints [60]"),
    Knob(
        "log-every",
        _positive(int),
        "steps between the mean-loss rows of log.json (each checkpoint line prints the last) [50]",
    ),
    Knob(
        "validate-every",
        _some(float),
        "seconds between adherence checks on training prompts (0: never) [300]",
    ),
    # 0 ran each check on no prompt at all, logging empty scores; --validate-every 0 turns them off.
    Knob("validate-prompts", _positive(int), "prompts in each of those checks [64]"),
    Knob("i2v-share", number(float, 0, high=1), "share of samples trained as image-to-video [0.2]"),
)


def check_budget(knobs: dict[str, Any]) -> None:
    """Refuse a --seconds that the VAE phase and the time kept for evaluation fill (``knobs``: the
    ``TrainConfig`` fields given). The VAE trained its --vae-seconds (480 unless given) whatever
    --seconds said, so ``--seconds 60`` ran for ten minutes."""
    from reelgen.core.errors import InvalidRequest
    from reelgen.train.micro_loop import TrainConfig

    def given(name: str) -> tuple[float, str]:
        return (knobs[name], "") if name in knobs else (getattr(TrainConfig, name), " (default)")

    (seconds, _), (vae, vae_how), (kept, kept_how) = map(given, ("seconds", "vae_seconds", "eval_seconds"))
    if vae + kept < seconds:
        return
    taken = [f"the VAE trains for up to --vae-seconds {vae:g}{vae_how} first"]
    if kept:  # none with --eval-prompts 0
        taken.append(f"--eval-seconds {kept:g}{kept_how} are kept at the end")
    smaller = "a smaller --vae-seconds or --eval-seconds" if kept else "a smaller --vae-seconds"
    raise InvalidRequest(
        f"--seconds {seconds:g} leaves no time to train the transformer: {' and '.join(taken)}; "
        f"give --seconds above {vae + kept:g}, or {smaller}",
        param="seconds",
    )


def check_pool(knobs: dict[str, Any]) -> None:
    """Refuse a --refresh larger than --pool (``knobs``: the ``TrainConfig`` fields given): one step
    then wrote some pool slots more than once in a single indexed assignment, where which clip wins
    is undefined, so a slot's latent and its caption could come from different clips."""
    from reelgen.core.errors import InvalidRequest
    from reelgen.train.micro_loop import TrainConfig

    (pool, pool_how), (refresh, refresh_how) = (
        (knobs[name], "") if name in knobs else (getattr(TrainConfig, name), " (default)")
        for name in ("pool", "refresh")
    )
    if refresh > pool:
        raise InvalidRequest(
            f"--refresh {refresh}{refresh_how} is more than the --pool of {pool} clips{pool_how} it "
            f"refreshes; give --refresh {pool} or less, or a larger --pool",
            param="refresh",
        )

"""The reelgen-micro command: ``train`` on a GPU, ``export`` the shipped folder, ``evaluate`` prompt adherence.

Recipe (docs/micro.md has the exact commands and numbers of the shipped weights)::

    python -m reelgen.train.micro train --out runs/micro     # one GPU, 35 minutes; seeded, time-boxed
    python -m reelgen.train.micro train --resume runs/micro --out runs/micro2 --vae-seconds 0 --seconds 600
    python -m reelgen.train.micro export --checkpoint runs/micro --dest src/reelgen/assets/micro
    python -m reelgen.train.micro evaluate --prompts 128 --out runs/heldout.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from reelgen.core.atomic import check_writable
from reelgen.core.backends.micro import build as mb
from reelgen.core.devices import device_info
from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.spec.rules import MAX_FLOW_SHIFT
from reelgen.train import micro_args as ma
from reelgen.train.micro_args import FRAMES, SIDE, TRAIN_KNOBS, check_budget, check_pool, given_path, number
from reelgen.train.micro_checkpoint import check_checkpoint, check_dest
from reelgen.train.micro_stop import finished_line

#: (flow shift, guidance) pairs tried on training-split prompts after training; the best is exported.
SWEEP = ((2.0, 5.0), (3.0, 5.0), (2.0, 8.0), (3.0, 8.0), (5.0, 5.0), (2.0, 3.0))
DEFAULT_STEPS = 20


def shipped_folder() -> Path:
    """The diffusers folder of the shipped model inside the installed package."""
    from importlib.resources import files

    return Path(str(files("reelgen") / "assets" / "micro"))


def evaluate_after_training(parts: Any, cfg: Any, prompts: int) -> dict[str, Any]:
    """Pick flow shift and guidance on training-split prompts, then score the held-out prompts once."""
    import torch

    from reelgen.train import micro_eval as me
    from reelgen.train.micro_eval import pipeline, validation_scenes

    workers = 16 if cfg.cuda else 0
    common = dict(
        size=cfg.size,
        frames=cfg.frames,
        steps=DEFAULT_STEPS,
        batch=64 if workers else 2,
        max_tokens=mb.MAX_TOKENS,
        workers=workers,
    )
    sweep = []
    validation = validation_scenes(max(4, prompts // 2))
    begun = time.monotonic()
    with torch.no_grad():
        for shift, guidance in SWEEP:
            tick = time.monotonic()
            summary, _, _ = me.evaluate(
                pipeline(parts, parts.transformer, parts.text_encoder, shift),
                validation,
                guidance=guidance,
                first_seed=10_000,
                **common,
            )
            sweep.append({"shift": shift, "guidance": guidance, **summary})
            print(
                f"validation shift={shift} guidance={guidance}: colour {summary['colour_correct']} "
                f"direction {summary['direction_correct']}",
                flush=True,
            )
            per_clip = (time.monotonic() - tick) / len(validation)
            if not another_setting_fits(cfg.left(), per_clip, len(validation), prompts):
                break
        best = max(sweep, key=lambda s: (s["colour_correct"] or 0) + (s["direction_correct"] or 0))
        summary, results, clips = me.evaluate(
            pipeline(parts, parts.transformer, parts.text_encoder, best["shift"]),
            me.heldout_scenes(prompts),
            guidance=best["guidance"],
            keep_clips=True,
            **common,
        )
    summary["shift"] = best["shift"]
    me.write_report(cfg.out / "eval.json", {**summary, "sweep": sweep}, results)
    me.save_grid(cfg.out / "samples.png", clips[:8])  # rows: the first 8 prompts of eval.json
    print(me.markdown_summary(summary), flush=True)
    took, least = time.monotonic() - begun, per_clip * (len(validation) + prompts)
    if took > cfg.eval_seconds and cfg.left() < 0:  # said, not silent: a CPU run ran half an hour past
        print(
            f"evaluation took {took:.0f} s of the {cfg.eval_seconds:g} s kept for it (--eval-seconds), so the "
            f"run ended {-cfg.left():.0f} s past --seconds: its first sampler setting and all {prompts} "
            f"held-out clips are made however long they take (about {least:.0f} s here); keep that with "
            "--eval-seconds or pass fewer --eval-prompts",
            flush=True,
        )
    return summary


def another_setting_fits(left: float, per_clip: float, setting_clips: int, heldout_clips: int) -> bool:
    """Whether ``left`` seconds hold one more sampler setting and then the held-out check, at ``per_clip``
    seconds a clip as the last setting took: the sweep tries settings only while the check still fits."""
    return left >= per_clip * (setting_clips + heldout_clips)


def train_config(args: argparse.Namespace) -> Any:
    """The ``TrainConfig`` a ``train`` command line asks for (printed as the run starts)."""
    from reelgen.train.micro_loop import TrainConfig

    knobs = {k.field: getattr(args, k.field) for k in TRAIN_KNOBS if getattr(args, k.field) is not None}
    if args.eval_prompts == 0:
        # Nothing is evaluated, so no time is kept for it: a run stopped training 110 s early to idle.
        if knobs.get("eval_seconds", 0) > 0:
            raise InvalidRequest(
                "--eval-seconds keeps time at the end for the evaluation, which --eval-prompts 0 skips; "
                "leave one of them out",
                param="eval_seconds",
            )
        knobs["eval_seconds"] = 0.0
    check_budget(knobs)
    check_pool(knobs)
    return TrainConfig(
        out=Path(args.out),
        resume=Path(args.resume) if args.resume else None,
        compile=not args.no_compile,
        # The run's line said eval_prompts=128 whatever --eval-prompts was: it went around the config.
        eval_prompts=args.eval_prompts,
        **knobs,
    )


def cmd_train(args: argparse.Namespace) -> int:
    from reelgen.train.micro_loop import TrainConfig, run

    # Training defaults to the GPU; a device this machine lacks is refused naming the ones it has.
    try:
        device_info(args.device or TrainConfig.device)
    except InvalidRequest as exc:
        if args.device:
            raise
        raise InvalidRequest(
            f"{exc.message}; training is made for a GPU: --device cpu makes a smoke run "
            "(`reelgen train-micro --help` shows one)",
            param="device",
        ) from None
    out = Path(args.out)
    if out.exists() and not out.is_dir():  # else found at the first checkpoint, a minute in
        raise InvalidRequest(f"--out {out} is a file; give the folder checkpoints go into", param="out")
    check_writable(out / "state.json", param="--out", own=True)
    if args.resume:  # else found once the model is built
        check_checkpoint(Path(args.resume), "--resume")
    same = args.resume is not None and Path(args.resume).resolve() == out.resolve()
    if (out / "state.json").is_file() and not same:
        # Its weights were overwritten at the new run's first checkpoint: a 35-minute run lost unsaid.
        raise InvalidRequest(
            f"--out {out} holds a run's checkpoint already; give a new folder, or go on from that run "
            f"with --resume {out}",
            param="out",
        )
    cfg = train_config(args)
    print(f"training reelgen-micro: {cfg}", flush=True)
    parts = run(cfg)
    if cfg.eval_prompts > 0:
        evaluate_after_training(parts, cfg, cfg.eval_prompts)
    print(finished_line(args, args.prog), flush=True)  # where the checkpoint is, and how it becomes a model
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Assemble the diffusers folder (float16 safetensors) from a training checkpoint, atomically."""
    import shutil
    import tempfile

    import torch

    from reelgen.train.micro_checkpoint import load_checkpoint
    from reelgen.train.micro_loop import Parts

    checkpoint, dest = Path(args.checkpoint), Path(args.dest)
    # A link (models/current -> v3) is followed: the model replaces its folder and the link stays; the
    # link itself could not be removed as a folder ("Cannot call rmtree on a symbolic link", after the save).
    dest = dest.resolve() if dest.is_symlink() else dest
    check_checkpoint(checkpoint)
    check_dest(dest, checkpoint)
    pipe = mb.build_untrained(0)
    parts = Parts(pipe.tokenizer, pipe.text_encoder, pipe.transformer, pipe.vae)
    state = load_checkpoint(checkpoint, parts)
    for key, ours in (("vae_config", mb.VAE_CONFIG), ("transformer_config", mb.TRANSFORMER_CONFIG)):
        theirs = {k: v for k, v in state[key].items() if k not in ("latents_mean", "latents_std")}
        mine = json.loads(
            json.dumps({k: v for k, v in ours.items() if k not in ("latents_mean", "latents_std")})
        )
        if theirs != mine:
            raise InvalidRequest(
                f"checkpoint {checkpoint} has a different {key} than this reelgen; cannot export",
                param="checkpoint",
            )
    pipe.vae.register_to_config(latents_mean=state["latents_mean"], latents_std=state["latents_std"])
    pipe.scheduler = mb.build_scheduler(args.shift)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".micro-", dir=dest.parent))
    except OSError as exc:  # the installed package's folder, for one, may be the system's
        raise InvalidRequest(
            f"--dest {dest}: cannot write into {dest.parent} ({exc.strerror or exc}); give a folder you can "
            "write to",
            param="dest",
        ) from None
    try:
        mb.save(pipe, tmp, dtype=torch.float16)
        for path in (tmp, *tmp.rglob("*")):  # mkdtemp made it private; a package's files are world-readable
            path.chmod(0o755 if path.is_dir() else 0o644)
        if dest.exists():
            shutil.rmtree(dest)
        tmp.replace(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    print(f"exported step {state['step']} to {dest} ({size / 1e6:.1f} MB)")
    return 0


def _save_clips(path: str, clips: list[Any]) -> None:
    """The clips as one NPZ at exactly ``path``, all or nothing (numpy adds .npz to a name without it)."""
    import numpy as np

    from reelgen.core.atomic import staged

    with staged(Path(path)) as (tmp,), tmp.open("wb") as file:
        np.savez_compressed(file, clips=np.stack(clips))


def cmd_evaluate(args: argparse.Namespace) -> int:
    import torch

    from reelgen.train import micro_eval as me

    for path, option in ((args.out, "--out"), (args.clips, "--clips")):
        if path:
            check_writable(Path(path), param=option)  # before minutes of scoring, not after
    if args.clips and Path(args.clips).resolve() == Path(args.out).resolve():
        # The clips were saved, then the report was written over them: minutes of generation lost unsaid.
        raise InvalidRequest(
            f"--clips {args.clips} is the --out report's path; give the clips a file of their own",
            param="clips",
        )
    device_info(args.device)  # before loading: a device this machine lacks is named, with the ones it has
    folder = Path(args.model) if args.model else shipped_folder()
    torch.set_num_threads(args.threads) if args.threads else None
    pipe = me.load_model(folder, args.device)
    begin = time.monotonic()
    with torch.no_grad():
        summary, results, _ = me.evaluate(
            pipe,
            me.heldout_scenes(args.prompts),
            size=args.size,
            frames=args.frames,
            steps=args.steps,
            guidance=args.guidance,
            batch=args.batch,
            max_tokens=mb.MAX_TOKENS,
            workers=args.workers,
            on_clips=(lambda clips: _save_clips(args.clips, clips)) if args.clips else None,
        )
    summary["model"] = str(folder)
    summary["device"] = args.device
    summary["seconds"] = round(time.monotonic() - begin, 1)
    me.write_report(Path(args.out), summary, results)
    print(me.markdown_summary(summary))
    print(f"report: {args.out}")
    return 0


def _add_train(sub: Any) -> None:
    train = sub.add_parser("train", help="train on the procedural scenes (GPU; --device cpu for a smoke run)")
    train.add_argument(
        "--out", required=True, type=given_path, help="checkpoint folder (weights, state, log)"
    )
    train.add_argument(
        "--resume", type=given_path, help="continue from this checkpoint (--vae-seconds 0 skips the VAE)"
    )
    train.add_argument(
        "--eval-prompts",
        type=number(int, 0, high=ma.HELDOUT, why=ma.HELDOUT_WHY),
        default=128,
        help=f"up to {ma.HELDOUT} held-out prompts scored at the end (0: none) [128]",
    )
    # The rest are TrainConfig's fields (None keeps the shipped recipe's value).
    for knob in TRAIN_KNOBS:
        train.add_argument(f"--{knob.name}", type=knob.check, default=None, help=knob.help)
    train.add_argument(
        "--no-compile", action="store_true", help="train the transformer without torch.compile"
    )
    train.set_defaults(func=cmd_train)


def _add_evaluate(sub: Any) -> None:
    evaluate = sub.add_parser("evaluate", help="score prompt adherence on held-out prompts")
    evaluate.add_argument("--model", type=given_path, help="diffusers folder (default: the shipped model)")
    evaluate.add_argument(
        "--prompts",
        type=number(int, 1, high=ma.HELDOUT, why=ma.HELDOUT_WHY),
        default=128,
        help=f"up to {ma.HELDOUT} held-out prompts to score, "
        "a clip each (on a CPU about 9 s a 128x128 clip) [128]",
    )
    evaluate.add_argument("--out", required=True, type=given_path, help="JSON report path")
    evaluate.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N [cpu]")
    evaluate.add_argument("--steps", type=number(int, 1), default=DEFAULT_STEPS, help="sampling steps [20]")
    evaluate.add_argument("--guidance", type=number(float, 0), default=5.0, help="guidance scale [5.0]")
    evaluate.add_argument("--size", type=SIDE, default=128, help="frame side in pixels [128]")
    evaluate.add_argument("--frames", type=FRAMES, default=25, help="frames per clip [25]")
    evaluate.add_argument("--batch", type=number(int, 1), default=4, help="clips per sampling call [4]")
    cores = number(int, 0, high=ma.CORES, why=ma.CORES_WHY)
    evaluate.add_argument(
        "--workers", type=cores, default=0, help="processes for the clip analysis (0: this one) [0]"
    )
    evaluate.add_argument("--threads", type=cores, default=0, help="torch CPU threads (0: torch's default)")
    evaluate.add_argument(
        "--clips",
        type=given_path,
        help="also save the generated clips to this file (NPZ: array clips, N x T x H x W x 3 uint8)",
    )
    evaluate.set_defaults(func=cmd_evaluate)


class _Parser(argparse.ArgumentParser):
    """argparse saying a usage error as reelgen's other commands do: one ``error:`` line naming the help.

    argparse printed its whole usage block (twenty lines for ``train``), then ``prog: error: ...``.
    The step parsers are this class too (``add_subparsers`` makes its parsers the top one's class).
    """

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def parser(prog: str = "python -m reelgen.train.micro") -> argparse.ArgumentParser:
    """The command line: ``train``, ``export`` and ``evaluate``, named ``prog`` in usage lines."""
    top = _Parser(
        prog=prog,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.set_defaults(prog=prog)  # the name a finished run's next command is said with
    sub = top.add_subparsers(dest="command", required=True)
    _add_train(sub)
    export = sub.add_parser("export", help="write the shipped diffusers folder from a checkpoint")
    export.add_argument("--checkpoint", required=True, type=given_path, help="the folder a train run wrote")
    export.add_argument(
        "--dest",
        type=given_path,
        default=str(shipped_folder()),
        help="diffusers folder to write, replaced whole [the installed package's: the shipped model]",
    )
    # NaN or 0 was shipped as it was given: a model whose every clip came out black or NaN. Above
    # MAX_FLOW_SHIFT (the bound generation puts on --option flow_shift) the schedule sits at full noise
    # for nearly every step, and far above it the frames come out NaN (core.spec.rules).
    export.add_argument(
        "--shift",
        type=number(float, 0, above=True, high=MAX_FLOW_SHIFT),
        default=mb.FLOW_SHIFT,
        help=f"sampler flow shift to ship, above 0 and at most {MAX_FLOW_SHIFT:g} [{mb.FLOW_SHIFT:g}]",
    )
    export.set_defaults(func=cmd_export)
    _add_evaluate(sub)
    return top


def main(argv: list[str] | None = None, prog: str = "python -m reelgen.train.micro") -> int:
    from reelgen.train.micro_stop import BY_CTRL_C, BY_SIGTERM, Killed, kill_unwinds, stopped_line

    args = parser(prog).parse_args(argv)
    try:
        with kill_unwinds():
            return int(args.func(args))
    except ReelgenError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # was a traceback from wherever torch was (python -m reelgen.train.micro)
        print(f"error: {stopped_line(args, 'Ctrl-C')}", file=sys.stderr)
        return BY_CTRL_C
    except Killed:
        print(f"error: {stopped_line(args, 'SIGTERM')}", file=sys.stderr)
        return BY_SIGTERM


if __name__ == "__main__":
    sys.exit(main())

"""Trains reelgen-lipsync's UNet to open the mouth of any face, photos included: ``python -m reelgen.train.avatar_open``.

Drawn targets alone (``avatar_latent``) taught a mouth that moves on drawn faces
only: on a photo the UNet left the mouth as it was. Here most of each batch is a
source face whose mouth is opened by a warp, ``open_mouth``: the lower lip and
jaw move down by the frame's opening, the upper lip lifts a little, the lips part
around a dark cavity (teeth at its top), and the mouth narrows or spreads with
the frame's lip width. The warp is defined on any pixels, so what the UNet learns
from it carries to faces it never saw. Sources are drawn faces at rest, augmented
crops of a real photo (Grace Hopper, from matplotlib's sample data; the astronaut
stays held out), and photo textures tinted like skin. The rest of each batch are
drawn faces drawn at the target mouth from a random one, which also teaches
closing a mouth that is open.

Two steps:

1. ``prepare``: writes ``sources.npz`` (texture bank, wide photo crops and
   their mouth positions), so training needs no scikit-image, OpenCV or matplotlib.
2. ``train``: encodes every source once with the frozen VAE (at rest, and opened
   at 6 openings x 3 widths) next to a pool of drawn faces, then trains a
   lip-sync folder's UNet further on those latents and saves a new folder. It
   runs on a CPU (on a latent window around the mouth) or a GPU.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from reelgen.core.backends.avatar.lipsync import LipSyncConfig, hide_lower
from reelgen.core.face.align import mouth_mask
from reelgen.train.avatar import Batches, learning_rate
from reelgen.train.avatar_args import (
    OUT_HELP,
    SEED_HELP,
    SOURCES,
    SOURCES_ARRAYS,
    SPEECH,
    SPEECH_ARRAYS,
    SPEECH_HELP,
    WithDefaults,
    need_file,
    need_folder,
    need_out,
    need_writable,
    out_path,
    stop_said,
)
from reelgen.train.avatar_latent import (
    OPENINGS,
    WIDTHS,
    latent_pool,
    latent_step,
    mouth_latents,
    mouth_window,
)
from reelgen.train.avatar_mouths import Sources, open_mouth, prepare
from reelgen.train.micro_args import SEED, number


def _rest(n: int, smiles: float, g: torch.Generator) -> torch.Tensor:
    """How far apart each source's lips are before it speaks: 0, or 0.15..0.45 for a share ``smiles``."""
    apart = torch.rand(n, generator=g, device=g.device) < smiles
    return (0.15 + 0.3 * torch.rand(n, generator=g, device=g.device)) * apart


def _further(
    source: torch.Tensor,
    mouth: torch.Tensor,
    rest: torch.Tensor,
    rest_width: torch.Tensor,
    opening: float,
    width: float,
    seed: int,
) -> torch.Tensor:
    """``source`` opened ``opening`` of the way from its lips at rest to fully open, its width moving to ``width``."""
    same = torch.Generator(source.device).manual_seed(seed)
    spread = rest_width + (width - rest_width) * min(1.0, opening / 0.2)
    return open_mouth(source, mouth, rest + opening * (1 - rest), spread, same)


@torch.no_grad()
def warped_pool(
    vae: Any, faces: Sources, identities: int, seed: int, config: LipSyncConfig, smiles: float = 0.5
) -> dict[str, torch.Tensor]:
    """Latents of sources at rest and opened: ``hidden`` and ``reference`` (I, C, h, w), ``mouths`` (I, O, W, C, h, w).

    The reference is the source at rest (lips together, or a share ``smiles`` of them
    already apart) and the hidden input its upper half, as at inference on a photo;
    ``mouths`` open it further at each of ``OPENINGS`` x ``WIDTHS`` (opening 0 is the
    source at rest).
    """
    g = torch.Generator(faces.device).manual_seed(seed)
    scale = config.scaling_factor

    def encode(pixels: torch.Tensor) -> torch.Tensor:
        return vae.encode(pixels).latent_dist.mode() * scale

    hidden, reference, mouths = [], [], []
    for first in range(0, identities, 16):
        n = min(16, identities - first)
        source, mouth = faces.sample(n, g)
        # Half the sources have their lips apart already (a smile showing teeth, a word half said), so the
        # UNet learns to part lips that are apart where they part, not to paint a new seam above the teeth.
        rest = _rest(n, smiles, g)
        rest_width = 1 + 0.12 * torch.rand(n, generator=g, device=faces.device)

        # One generator seed per batch, so each face keeps its cavity shade and teeth at every opening.
        batch_seed = seed + first
        at_rest = _further(source, mouth, rest, rest_width, 0.0, 1.0, batch_seed)
        hidden.append(encode(hide_lower(at_rest * 2 - 1, config.geometry.mask_from)))
        reference.append(encode(at_rest * 2 - 1))
        states = [
            encode(_further(source, mouth, rest, rest_width, float(o), w, batch_seed) * 2 - 1)
            for w in WIDTHS
            for o in OPENINGS
        ]
        grid = torch.stack(states, 1).reshape(n, len(WIDTHS), len(OPENINGS), *states[0].shape[1:])
        mouths.append(grid.transpose(1, 2))
        print(json.dumps({"warped_pool": first + n, "of": identities}), flush=True)
    return {"hidden": torch.cat(hidden), "reference": torch.cat(reference), "mouths": torch.cat(mouths)}


def train(
    model: Path,
    data: Path,
    sources: Path,
    out: Path,
    seconds: float,
    batch: int,
    lr: float,
    seed: int,
    warped: float,
    identities: int,
    window: int,
    smiles: float = 0.5,
) -> dict[str, Any]:
    """Train ``model``'s UNet for ``seconds`` of wall time; write the lip-sync folder (float16) to ``out``.

    Every face is encoded once, before training (a pool of opened sources and one
    of drawn faces, ``avatar_latent``'s), so a step costs only the UNet: on a CPU
    it trains on a ``window``-wide latent square around the mouth.
    """
    from diffusers import AutoencoderKL, UNet2DConditionModel

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(seed)
    config = LipSyncConfig.read(model)
    vae = AutoencoderKL.from_pretrained(model / "vae", torch_dtype=torch.float32).to(device).eval()
    unet = UNet2DConditionModel.from_pretrained(model / "unet", torch_dtype=torch.float32).to(device).train()
    bank = dict(np.load(sources))
    batches = Batches(dict(np.load(data)), device, seed, textures=torch.from_numpy(bank["textures"]))

    # 1. The pools: opened sources (photos, drawn faces at rest, textures) and drawn faces at every mouth.
    started = time.monotonic()
    pool = warped_pool(vae, Sources(bank, device, config.geometry.size), identities, seed, config, smiles)
    drawn = latent_pool(vae, max(1, identities // 2), seed + 7, config, batches.textures, device)
    pooled = time.monotonic() - started

    # 2. Train: each batch is ``warped`` opened sources, the rest drawn faces from a random mouth.
    opt = torch.optim.AdamW(unet.parameters(), lr=lr, weight_decay=0.01, betas=(0.9, 0.99))
    latent = pool["hidden"].shape[-1]
    weight = 1 + 6 * torch.from_numpy(mouth_mask(config.geometry, latent)).to(device)
    g = torch.Generator(device).manual_seed(seed + 1)
    cpu_g = torch.Generator().manual_seed(seed + 2)
    k = int(round(warped * batch))
    begun, step, log = time.monotonic(), 0, []
    while (elapsed := time.monotonic() - begun) < seconds:
        for group in opt.param_groups:
            group["lr"] = learning_rate(step, elapsed, seconds, lr)
        index = torch.randint(len(batches.frames), (batch,), generator=g, device=device)
        opening, width = batches.opening[index], batches.width[index]
        ids = torch.randint(len(pool["hidden"]), (k,), generator=g, device=device)
        ids_d = torch.randint(len(drawn["hidden"]), (batch - k,), generator=g, device=device)
        ref_open = torch.rand(batch - k, generator=g, device=device)
        ref_open = ref_open * (torch.rand(batch - k, generator=g, device=device) > 0.3)
        ref_width = 0.75 + 0.4 * torch.rand(batch - k, generator=g, device=device)
        target = torch.cat(
            [
                mouth_latents(pool["mouths"], ids, opening[:k], width[:k]),
                mouth_latents(drawn["mouths"], ids_d, opening[k:], width[k:]),
            ]
        )
        reference = torch.cat(
            [pool["reference"][ids], mouth_latents(drawn["mouths"], ids_d, ref_open, ref_width)]
        )
        inputs = torch.cat([torch.cat([pool["hidden"][ids], drawn["hidden"][ids_d]]), reference], dim=1)
        inputs, target, weights = mouth_window(inputs, target, weight, window, config, cpu_g)
        pred, loss = latent_step(unet, opt, inputs, target, weights, batches.tokens(index), config)
        if step % 50 == 0:
            # Does the mouth follow the audio: how much the UNet changes an opened source's mouth, against the opening.
            change = ((pred[:k] - inputs[:k, inputs.shape[1] // 2 :]).abs() * (weights > 2)).sum(
                dim=(1, 2, 3)
            )
            follows = float(torch.corrcoef(torch.stack([change.detach(), opening[:k]]))[0, 1])
            entry = {"step": step, "seconds": round(elapsed, 1), "loss": round(loss.item(), 4)}
            log.append({**entry, "opened_mouth_follows_audio_r": round(follows, 3)})
            print(json.dumps(log[-1]), flush=True)
        step += 1
    out.mkdir(parents=True, exist_ok=True)
    if (out / "vae").resolve() != (model / "vae").resolve():
        shutil.copytree(model / "vae", out / "vae", dirs_exist_ok=True)
    unet.eval().half().save_pretrained(out / "unet")
    config.write(out)
    return {
        "resumed_from": str(model),
        "pool_seconds": round(pooled, 1),
        "identities": identities,
        "steps": step,
        "batch": batch,
        "warped_share": warped,
        "window": window,
        "smiles": smiles,
        "seconds": round(time.monotonic() - begun, 1),
        "device": torch.cuda.get_device_name() if device == "cuda" else "cpu",
        "log": log,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m reelgen.train.avatar_open",
        description=__doc__.splitlines()[0],
        formatter_class=WithDefaults,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser(
        "prepare",
        help="write sources.npz (texture bank and photo crops)",
        formatter_class=WithDefaults,
    )
    prep.add_argument(
        "--out", type=out_path, default=Path(".avatar_data/sources.npz"), help="the sources file to write"
    )
    run = sub.add_parser(
        "train",
        help="train a lip-sync folder's UNet further on opened mouths",
        formatter_class=WithDefaults,
    )
    run.add_argument("--model", type=Path, required=True, help="the lip-sync folder to start from")
    run.add_argument("--data", type=Path, default=Path(".avatar_data/train.npz"), help=SPEECH_HELP)
    run.add_argument(
        "--sources", type=Path, default=Path(".avatar_data/sources.npz"), help="the file `prepare` wrote"
    )
    run.add_argument("--out", type=out_path, default=Path("lipsync-out"), help=OUT_HELP)
    run.add_argument(
        "--seconds", type=number(float, 0, above=True), default=1200.0, help="wall-clock training budget"
    )
    run.add_argument("--batch", type=number(int, 0, above=True), default=64, help="samples per step")
    run.add_argument("--lr", type=number(float, 0, above=True), default=5e-4, help="peak learning rate")
    run.add_argument("--seed", type=SEED, default=0, help=SEED_HELP)
    # Shares are of a batch or of the sources: 1.5 asked for more opened sources than a batch holds.
    share = number(float, 0, high=1)
    run.add_argument("--warped", type=share, default=0.75, help="share of each batch that is opened sources")
    run.add_argument(
        "--identities", type=number(int, 0, above=True), default=192, help="sources in the opened pool"
    )
    # A negative width cut an empty latent square, found only once the first step ran.
    run.add_argument(
        "--window",
        type=number(int, 0, why="0: the whole crop"),
        default=16,
        help="latent square around the mouth (0: the whole crop)",
    )
    run.add_argument(
        "--smiles", type=share, default=0.5, help="share of sources whose lips are apart at rest"
    )
    args = parser.parse_args(argv)
    # Each step's errors are said with its own usage and name ("... avatar_open train: error:"), not the top's.
    if args.command == "prepare":
        need_writable(prep, "--out", args.out)  # before the texture bank and crops are drawn, not after
        print(json.dumps(prepare(args.out)))
        return
    need_folder(run, "--model", args.model, "lipsync.json", "a lip-sync folder")
    need_file(run, "--data", args.data, SPEECH, SPEECH_ARRAYS)
    need_file(run, "--sources", args.sources, SOURCES, SOURCES_ARRAYS)
    need_out(run, "--out", args.out)
    with stop_said(run, args.out):
        report = train(
            args.model,
            args.data,
            args.sources,
            args.out,
            args.seconds,
            args.batch,
            args.lr,
            args.seed,
            args.warped,
            args.identities,
            args.window,
            args.smiles,
        )
    report = {"out": str(args.out.resolve()), **report}  # where the model went, beside its numbers
    (args.out / "training.json").write_text(json.dumps(report, indent=2))
    print(json.dumps({k: v for k, v in report.items() if k != "log"}))


if __name__ == "__main__":
    main()

"""Trains reelgen-lipsync's UNet in the latent space of a trained VAE, on a CPU: ``python -m reelgen.train.avatar_latent``.

The second way to train the built-in model (the first, ``reelgen.train.avatar``,
trains VAE and UNet together on a GPU). The VAE is frozen, so every drawn face
is encoded once: a pool of identities, each in one pose, with its lower-half-
hidden latent and the latents of 6 mouth openings x 3 widths. A training sample
is a frame of a spoken track: the target latent is the identity's mouth at that
frame's opening (interpolated between the two nearest drawn openings) and width,
the reference is the same face with a random mouth. The loss is L1 on latents,
weighted seven times over the mouth.
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

from reelgen.core.atomic import staged
from reelgen.core.backends.avatar.build import BUILTIN_CONFIG, builtin_unet
from reelgen.core.backends.avatar.lipsync import LipSyncConfig, hide_lower, predict_latents
from reelgen.core.face.align import mouth_mask
from reelgen.train.avatar import Batches
from reelgen.train.avatar_args import (
    OUT_HELP,
    SEED_HELP,
    SPEECH,
    SPEECH_ARRAYS,
    SPEECH_HELP,
    WithDefaults,
    need_file,
    need_folder,
    need_out,
    need_pool,
    out_path,
    stop_said,
)
from reelgen.train.avatar_faces import Faces, draw, photo_bank, random_pose
from reelgen.train.micro_args import SEED, number

OPENINGS = np.linspace(0.0, 1.0, 6)
WIDTHS = (0.75, 1.0, 1.12)


@torch.no_grad()
def latent_pool(
    vae: Any,
    identities: int,
    seed: int,
    config: LipSyncConfig,
    textures: torch.Tensor | None = None,
    device: str = "cpu",
) -> dict[str, torch.Tensor]:
    """Latents of drawn faces: ``hidden`` (I, C, h, w) and ``mouths`` (I, openings, widths, C, h, w)."""
    g = torch.Generator(device).manual_seed(seed)
    textures = photo_bank(256, device) if textures is None else textures
    size, hidden, mouths = config.geometry.size, [], []
    for first in range(0, identities, 16):
        n = min(16, identities - first)
        faces, pose = Faces.sample(n, g, device, textures), random_pose(n, g, device)
        states, images = [], []
        for width in WIDTHS:
            for opening in OPENINGS:
                # One generator state per identity batch, so noise and blur match across its mouths.
                same = torch.Generator(device).manual_seed(seed + first)
                img = draw(
                    faces,
                    pose,
                    torch.full((n,), float(opening), device=device),
                    torch.full((n,), width, device=device),
                    size,
                    same,
                    textures,
                )
                images.append(img)
                states.append(vae.encode(img * 2 - 1).latent_dist.mode() * config.scaling_factor)
        # The hidden input shows whatever mouth the source had above the mask line: a different one per batch.
        masked = hide_lower(images[(first // 16) % len(images)] * 2 - 1, config.geometry.mask_from)
        hidden.append(vae.encode(masked).latent_dist.mode() * config.scaling_factor)
        grid = torch.stack(states, 1).reshape(n, len(WIDTHS), len(OPENINGS), *states[0].shape[1:])
        mouths.append(grid.transpose(1, 2))
        print(json.dumps({"pool": first + n, "of": identities}), flush=True)
    return {"hidden": torch.cat(hidden), "mouths": torch.cat(mouths)}


def mouth_latents(
    mouths: torch.Tensor, ids: torch.Tensor, opening: torch.Tensor, width: torch.Tensor
) -> torch.Tensor:
    """Each identity's latent at a continuous opening (linear between drawn ones) and the nearest width."""
    pos = opening.clamp(0, 1) * (len(OPENINGS) - 1)
    low = pos.floor().long().clamp(max=len(OPENINGS) - 2)
    frac = (pos - low)[:, None, None, None]
    w = torch.as_tensor(WIDTHS, device=width.device)[None, :]
    wi = (width[:, None] - w).abs().argmin(dim=1)
    return mouths[ids, low, wi] * (1 - frac) + mouths[ids, low + 1, wi] * frac


def mouth_window(
    inputs: torch.Tensor, target: torch.Tensor, weight: torch.Tensor, size: int, config: LipSyncConfig, g: Any
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A ``size``-square latent window around the mouth (jittered by up to 2), or everything when size is 0.

    The UNet is convolutional, so training on the part of the face where the mouth
    changes costs a fraction of the full crop on a CPU and teaches the same thing.
    """
    full = inputs.shape[-1]
    if not size or size >= full:
        return inputs, target, weight
    cx, cy = config.geometry.mouth[0] * full, config.geometry.mouth[1] * full
    jx, jy = (int(v) for v in torch.randint(-2, 3, (2,), generator=g))
    x0 = int(min(max(0, round(cx - size / 2) + jx), full - size))
    y0 = int(min(max(0, round(cy - size / 2) + jy), full - size))
    cut = (slice(None), slice(None), slice(y0, y0 + size), slice(x0, x0 + size))
    return inputs[cut], target[cut], weight[y0 : y0 + size, x0 : x0 + size]


def latent_step(
    unet: Any,
    opt: torch.optim.Optimizer,
    inputs: torch.Tensor,
    target: torch.Tensor,
    weights: torch.Tensor,
    tokens: torch.Tensor,
    config: LipSyncConfig,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One optimiser step of the UNet on latents: L1 weighted over the mouth; the prediction and the loss."""
    pred = predict_latents(unet, inputs, tokens, config)
    loss = ((pred - target).abs() * weights).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
    opt.step()
    return pred, loss


def train(
    vae_folder: Path,
    data: Path,
    out: Path,
    seconds: float,
    identities: int,
    batch: int,
    seed: int,
    resume: Path | None = None,
    pool_file: Path | None = None,
    window: int = 0,
    kept_pool: dict[str, torch.Tensor] | None = None,
) -> dict[str, Any]:
    """Train for ``seconds`` and write the lip-sync folder to ``out``; ``kept_pool``: one read from ``pool_file``."""
    from diffusers import AutoencoderKL

    torch.manual_seed(seed)
    vae = AutoencoderKL.from_pretrained(vae_folder, torch_dtype=torch.float32).eval()
    config = LipSyncConfig(
        BUILTIN_CONFIG.geometry,
        BUILTIN_CONFIG.audio,
        BUILTIN_CONFIG.scaling_factor,
        True,
        "delta",
        residual=True,
    )
    started = time.monotonic()
    if kept_pool is not None:
        pool = kept_pool
    else:
        pool = latent_pool(vae, identities, seed, config)
        if pool_file is not None:  # encoding the pool is the slow part on a CPU; keep it for another run
            with staged(pool_file) as (tmp,):  # whole or not at all: a cut one was unreadable next run
                torch.save(pool, tmp)
    pooled = time.monotonic() - started
    batches = Batches(dict(np.load(data)), "cpu", seed)
    frames = len(batches.frames)
    if resume is not None:
        from diffusers import UNet2DConditionModel

        unet = UNet2DConditionModel.from_pretrained(resume / "unet", torch_dtype=torch.float32).train()
    else:
        unet = builtin_unet().train()
    opt = torch.optim.AdamW(unet.parameters(), lr=1e-3, weight_decay=0.01)
    size = pool["hidden"].shape[-1]
    mask = torch.from_numpy(mouth_mask(config.geometry, size))
    weight = 1 + 6 * mask
    g, step, log, begun = torch.Generator().manual_seed(seed + 1), 0, [], time.monotonic()
    while (elapsed := time.monotonic() - begun) < seconds:
        for group in opt.param_groups:
            group["lr"] = (
                1e-3 * min(1.0, (step + 1) / 50) * max(0.05, 0.5 * (1 + np.cos(np.pi * elapsed / seconds)))
            )
        index = torch.randint(frames, (batch,), generator=g)
        ids = torch.randint(len(pool["hidden"]), (batch,), generator=g)
        target = mouth_latents(pool["mouths"], ids, batches.opening[index], batches.width[index])
        ref_open = torch.rand(batch, generator=g) * (torch.rand(batch, generator=g) > 0.3)
        ref_width = 0.75 + 0.4 * torch.rand(batch, generator=g)
        reference = mouth_latents(pool["mouths"], ids, ref_open, ref_width)
        inputs = torch.cat([pool["hidden"][ids], reference], dim=1)
        inputs, target, weights = mouth_window(inputs, target, weight, window, config, g)
        pred, loss = latent_step(unet, opt, inputs, target, weights, batches.tokens(index), config)
        if step % 50 == 0:
            # Does the mouth follow the audio yet: the change the UNet makes to the mouth against the target's opening.
            change = (
                ((pred - inputs[:, inputs.shape[1] // 2 :]).abs() * (weights > 1)).sum(dim=(1, 2, 3)).detach()
            )
            follows = float(np.corrcoef(change.numpy(), batches.opening[index].numpy())[0, 1])
            entry = {"step": step, "seconds": round(elapsed, 1), "loss": round(loss.item(), 4)}
            log.append({**entry, "mouth_follows_audio_r": round(follows, 3)})
            print(json.dumps(log[-1]), flush=True)
        step += 1
    out.mkdir(parents=True, exist_ok=True)
    if (out / "vae").resolve() != vae_folder.resolve():
        shutil.copytree(vae_folder, out / "vae", dirs_exist_ok=True)
    unet.eval().half().save_pretrained(out / "unet")
    config.write(out)
    return {
        "pool_seconds": round(pooled, 1),
        "identities": identities,
        "steps": step,
        "batch": batch,
        "seconds": round(time.monotonic() - begun, 1),
        "log": log,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m reelgen.train.avatar_latent",
        description=__doc__.splitlines()[0],
        formatter_class=WithDefaults,
    )
    parser.add_argument(
        "--vae", type=Path, required=True, help="a trained lip-sync VAE folder (diffusers layout)"
    )
    parser.add_argument("--data", type=Path, default=Path(".avatar_data/train.npz"), help=SPEECH_HELP)
    parser.add_argument(
        "--out",
        type=out_path,
        default=Path("lipsync-out"),
        help=f"{OUT_HELP}; its report goes beside it, OUT-training.json",
    )
    parser.add_argument(
        "--seconds", type=number(float, 0, above=True), default=900.0, help="wall-clock training budget"
    )
    parser.add_argument(
        "--identities", type=number(int, 0, above=True), default=192, help="drawn faces encoded into the pool"
    )
    parser.add_argument("--batch", type=number(int, 0, above=True), default=32, help="samples per step")
    parser.add_argument("--seed", type=SEED, default=0, help=SEED_HELP)
    parser.add_argument(
        "--resume", type=Path, default=None, help="a lip-sync folder whose UNet to train further"
    )
    parser.add_argument(
        "--pool", type=Path, default=None, help="where the encoded face pool is kept between runs"
    )
    parser.add_argument(
        "--window",
        type=number(int, 0, why="0: the whole crop"),
        default=0,
        help="train on a latent square this wide around the mouth (0: the whole crop)",
    )
    args = parser.parse_args(argv)
    need_folder(parser, "--vae", args.vae, "config.json", "a VAE folder in diffusers' layout")
    need_file(parser, "--data", args.data, SPEECH, SPEECH_ARRAYS)
    if args.resume is not None:
        need_folder(parser, "--resume", args.resume, "lipsync.json", "a lip-sync folder")
    need_out(parser, "--out", args.out, args.out.parent / f"{args.out.name}-training.json")
    kept_pool = need_pool(parser, "--pool", args.pool) if args.pool is not None else None
    torch.set_num_threads(1)
    with stop_said(parser, args.out):
        report = train(
            args.vae,
            args.data,
            args.out,
            args.seconds,
            args.identities,
            args.batch,
            args.seed,
            args.resume,
            args.pool,
            args.window,
            kept_pool,
        )
    report = {"out": str(args.out.resolve()), **report}  # where the model went, beside its numbers
    print(json.dumps({k: v for k, v in report.items() if k != "log"}))
    (args.out.parent / f"{args.out.name}-training.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

"""Trains reelgen-lipsync on drawn faces that speak Piper sentences: ``python -m reelgen.train.avatar``.

Every step draws new faces (identity, pose, background) and mouths from the
targets of random frames of the spoken tracks; the model sees the target face
with its lower half hidden, the same face with another mouth as reference, and
the Whisper features around the frame. The loss is L1 on the decoded crop,
weighted five times inside the mouth ellipse, plus the VAE's reconstruction of
photo patches so it also keeps real faces' detail.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from reelgen.core.backends.avatar.build import BUILTIN_CONFIG, builtin_unet, builtin_vae, save_folder
from reelgen.core.backends.avatar.lipsync import encode_inputs, predict
from reelgen.core.face.align import mouth_mask
from reelgen.core.speech.features import positional_encoding
from reelgen.train.avatar_args import (
    OUT_HELP,
    SEED_HELP,
    SPEECH,
    SPEECH_ARRAYS,
    SPEECH_HELP,
    WithDefaults,
    need_file,
    need_out,
    out_path,
    stop_said,
)
from reelgen.train.avatar_faces import Faces, draw, photo_bank, random_pose
from reelgen.train.micro_args import SEED, number

SPAN = 10  # Whisper features per frame: 2 per frame, 2 frames each side


class Batches:
    """Random training batches: drawn target and reference faces, and the audio tokens of their frames."""

    def __init__(
        self, data: dict[str, np.ndarray], device: str, seed: int, textures: torch.Tensor | None = None
    ) -> None:
        self.device = device
        if "features_q" in data:  # int8 with a per-channel scale: half the size to carry to a GPU box
            features = data["features_q"].astype(np.float32) * data["features_scale"]
        else:
            features = data["features"].astype(np.float32)
        self.features = torch.from_numpy(features).to(device)
        self.frames = torch.from_numpy(data["frames"]).to(device)
        self.opening = torch.from_numpy(data["opening"]).to(device)
        self.width = torch.from_numpy(data["width"]).to(device)
        dim = self.features.shape[1]
        self.pe = torch.from_numpy(positional_encoding(SPAN, dim)).to(device)
        self.g = torch.Generator(device).manual_seed(seed)
        self.textures = photo_bank(256, device) if textures is None else textures.to(device).float()
        self.size = BUILTIN_CONFIG.geometry.size

    def tokens(self, index: torch.Tensor) -> torch.Tensor:
        _, t, start = self.frames[index].T
        window = start[:, None] + 2 * t[:, None] + torch.arange(SPAN, device=self.device)[None]
        return self.features[window] + self.pe[None]

    def next(self, batch: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        g, dev = self.g, self.device
        index = torch.randint(len(self.frames), (batch,), generator=g, device=dev)
        faces = Faces.sample(batch, g, dev, self.textures)
        pose = random_pose(batch, g, dev)
        moved = pose + random_pose(batch, g, dev, 0.4) - torch.tensor([0.0, 1.0, 0.0, 0.0], device=dev)
        still = (torch.rand(batch, generator=g, device=dev) < 0.5)[:, None]
        ref_pose = torch.where(still, pose, moved)
        ref_open = torch.rand(batch, generator=g, device=dev) * (
            torch.rand(batch, generator=g, device=dev) > 0.3
        )
        ref_width = 0.75 + 0.4 * torch.rand(batch, generator=g, device=dev)
        target = draw(faces, pose, self.opening[index], self.width[index], self.size, g, self.textures)
        reference = draw(faces, ref_pose, ref_open, ref_width, self.size, g, self.textures)
        return target * 2 - 1, reference * 2 - 1, self.tokens(index), self.photos(batch // 4)

    def photos(self, count: int) -> torch.Tensor:
        """Random grey photo patches tinted in random colours, for the VAE's reconstruction loss."""
        g, dev, n = self.g, self.device, max(1, count)
        pick = self.textures[torch.randint(len(self.textures), (n,), generator=g, device=dev)]
        tint = 0.4 + 0.8 * torch.rand(n, 3, 1, 1, generator=g, device=dev)
        grey = torch.nn.functional.interpolate(pick[:, None], size=(self.size, self.size), mode="area")
        return (grey * tint).clamp(0, 1) * 2 - 1


def learning_rate(step: int, elapsed: float, budget: float, peak: float) -> float:
    """Warm up over 200 steps, hold, then fall linearly over the last quarter of the time budget."""
    warm = min(1.0, (step + 1) / 200)
    tail = min(1.0, max(0.0, (budget - elapsed) / (0.25 * budget)))
    return peak * warm * max(0.05, tail)


def train(data: Path, out: Path, seconds: float, batch: int, lr: float, seed: int) -> dict[str, Any]:
    """Train for ``seconds`` of wall time and write the lip-sync folder (float16) to ``out``."""
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(seed)
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    batches = Batches(dict(np.load(data)), device, seed)
    vae, unet = builtin_vae().to(device).train(), builtin_unet().to(device).train()
    params = [*vae.parameters(), *unet.parameters()]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01, betas=(0.9, 0.99))
    weight = 1 + 4 * torch.from_numpy(mouth_mask(BUILTIN_CONFIG.geometry)).to(device)
    amp = torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda")
    started, step, log = time.monotonic(), 0, []
    while (elapsed := time.monotonic() - started) < seconds:
        for group in opt.param_groups:
            group["lr"] = learning_rate(step, elapsed, seconds, lr)
        target, reference, tokens, photos = batches.next(batch)
        with amp:
            out_img = predict(
                unet, vae, encode_inputs(vae, target, reference, BUILTIN_CONFIG), tokens, BUILTIN_CONFIG
            )
            recon = vae.decode(vae.encode(photos).latent_dist.mode()).sample
        sync = ((out_img.float() - target).abs() * weight).mean()
        loss = sync + 0.5 * (recon.float() - photos).abs().mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if step % 100 == 0:
            log.append(
                {
                    "step": step,
                    "seconds": round(elapsed, 1),
                    "loss": round(loss.item(), 4),
                    "sync": round(sync.item(), 4),
                }
            )
            print(json.dumps(log[-1]), flush=True)
        step += 1
    save_folder(out, vae.eval().half(), unet.eval().half(), BUILTIN_CONFIG)
    return {
        "steps": step,
        "batch": batch,
        "seconds": round(time.monotonic() - started, 1),
        "device": device,
        "log": log,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m reelgen.train.avatar",
        description=__doc__.splitlines()[0],
        formatter_class=WithDefaults,
    )
    parser.add_argument("--data", type=Path, default=Path(".avatar_data/train.npz"), help=SPEECH_HELP)
    parser.add_argument("--out", type=out_path, default=Path("lipsync-out"), help=OUT_HELP)
    parser.add_argument(
        "--seconds", type=number(float, 0, above=True), default=240.0, help="wall-clock training budget"
    )
    parser.add_argument("--batch", type=number(int, 0, above=True), default=96, help="drawn faces per step")
    parser.add_argument("--lr", type=number(float, 0, above=True), default=4e-4, help="peak learning rate")
    parser.add_argument("--seed", type=SEED, default=0, help=SEED_HELP)
    args = parser.parse_args(argv)
    need_file(parser, "--data", args.data, SPEECH, SPEECH_ARRAYS)
    need_out(parser, "--out", args.out)
    with stop_said(parser, args.out):
        report = train(args.data, args.out, args.seconds, args.batch, args.lr, args.seed)
    # The summary said every number but where the model went: the folder to give `reelgen avatar`.
    report = {"out": str(args.out.resolve()), **report}
    (args.out / "training.json").write_text(json.dumps(report, indent=2))
    print(json.dumps({k: v for k, v in report.items() if k != "log"}))


if __name__ == "__main__":
    main()

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
import torch.nn.functional as F

from reelgen.core.backends.avatar.build import BUILTIN_CONFIG
from reelgen.core.backends.avatar.lipsync import LipSyncConfig, hide_lower, predict_latents
from reelgen.core.face.align import CropGeometry, mouth_mask
from reelgen.train.avatar import Batches, learning_rate
from reelgen.train.avatar_faces import Faces, draw, random_pose
from reelgen.train.avatar_latent import OPENINGS, WIDTHS, latent_pool, mouth_latents, mouth_window

#: How far the lips part at full opening, in crop sides (the drawn faces' cavity is 0.11 high).
GAP = 0.1
#: The photo crops are kept this much wider than the model's crop, so augmenting them never shows an edge.
WIDE = 1.5


def open_mouth(
    img: torch.Tensor, mouth: torch.Tensor, opening: torch.Tensor, width: torch.Tensor, g: torch.Generator
) -> torch.Tensor:
    """Faces (n, 3, S, S) in [0, 1] with their mouths at ``mouth`` (n, 3: cx, cy, half width) opened.

    ``opening`` 0 leaves the face as it is; 1 parts the lips by ``GAP``. ``width``
    scales the mouth across (0.7 rounded .. 1.12 spread), as the speech targets say.
    """
    n, _, s, _ = img.shape
    device = img.device
    lin = (torch.arange(s, device=device) + 0.5) / s
    yy, xx = (t[None] for t in torch.meshgrid(lin, lin, indexing="ij"))
    mx, my, mw = (mouth[:, i, None, None] for i in range(3))
    o, w = opening[:, None, None].clamp(0, 1), width[:, None, None]
    h = o * GAP

    # 1. Where each output pixel comes from. Across, the mouth region narrows or spreads about its centre.
    near = torch.exp(-(((xx - mx) / (1.6 * mw)) ** 2) - ((yy - my) / 0.07) ** 2)
    src_x = xx - near * (xx - mx) * (1 - 1 / w)
    # Down, the jaw drops: the full gap just under the lips, nothing by 0.17 below them (inside the blend).
    jaw = torch.exp(-(((xx - mx) / (1.8 * mw)) ** 2))
    below = ((yy - my) / 0.17).clamp(0, 1)
    drop = h * jaw * (1 - below) ** 2 * (yy >= my).float()
    # The upper lip lifts by a quarter of the gap, fading out 0.07 above the lips.
    above = ((my - yy) / 0.07).clamp(0, 1)
    lift = 0.25 * h * jaw * (1 - above) ** 2 * (yy < my).float()
    src_y = yy - drop + lift
    grid = torch.stack([src_x * 2 - 1, src_y * 2 - 1], dim=-1)
    out = F.grid_sample(img, grid, mode="bilinear", padding_mode="border", align_corners=False)

    # 2. The parted lips: a dark cavity from the lifted upper lip to the dropped lower one, corners tapered.
    top, bottom = my - 0.25 * h, my + h
    cy, ry = (top + bottom) / 2, (bottom - top) / 2 + 1e-4
    rx = mw * w * 0.85
    d = torch.sqrt(((xx - mx) / rx) ** 2 + ((yy - cy) / ry) ** 2 + 1e-9)
    soft = 1.2 / s / ry.clamp(min=1.0 / s)
    cavity = torch.sigmoid((1 - d) / soft.clamp(max=0.5)) * (o > 0.03).float()
    shade = 0.5 + 0.7 * torch.rand(n, 1, 1, 1, generator=g, device=device)
    dark = torch.tensor([0.24, 0.07, 0.08], device=device)[None, :, None, None] * shade
    # Never lighter than a third of the skin above the lips: on the darkest skin a fixed dark red is no
    # darker than the face, and the mouth would not be seen to open.
    band = (((xx - mx).abs() < mw) & (yy > my - 0.1) & (yy < my - 0.05)).float()[:, None]
    skin = (img * band).sum(dim=(2, 3), keepdim=True) / band.sum(dim=(2, 3), keepdim=True).clamp(min=1)
    dark = torch.minimum(dark, skin * torch.tensor([0.4, 0.25, 0.25], device=device)[None, :, None, None])
    out = out + cavity[:, None] * (dark - out)
    # Teeth along the top of the cavity on most faces, once the mouth is open enough to show them.
    has_teeth = (torch.rand(n, 1, 1, generator=g, device=device) < 0.6).float() * (o > 0.25).float()
    teeth = cavity * (yy < top + 0.35 * (bottom - top)).float() * has_teeth
    out = out + teeth[:, None] * (0.82 - out)
    return out.clamp(0, 1)


def find_mouth(crop: np.ndarray) -> tuple[float, float]:
    """The lip seam of a face crop (S, S, 3 uint8): (cx, cy) in crop units, the darkest row near where mouths sit."""
    luma = crop.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    s = crop.shape[0]
    # Below the nostrils' shadow and above the chin's: between 0.48 and 0.64 of the crop.
    x0, x1, y0, y1 = int(0.4 * s), int(0.6 * s), int(0.48 * s), int(0.64 * s)
    rows = luma[y0:y1, x0:x1].mean(axis=1)
    return 0.5, (y0 + int(rows.argmin()) + 0.5) / s


def prepare(out: Path) -> dict[str, Any]:
    """Write ``sources.npz``: the texture bank, wide crops of the real photos and where their mouths are."""
    import matplotlib
    from PIL import Image

    from reelgen.core.face import align
    from reelgen.core.face.detect import find_faces
    from reelgen.train.avatar_faces import photo_bank

    geo = BUILTIN_CONFIG.geometry
    wide = CropGeometry(
        round(geo.size * WIDE), geo.scale * WIDE, geo.drop, geo.mouth, geo.feather, geo.mask_from
    )
    path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    photo = np.asarray(Image.open(path).convert("RGB"))
    box = max(find_faces(photo), key=lambda b: b.area).as_array()
    crops = np.stack([align.crop(photo, box, wide)])
    # The mouth, found in the model-sized centre of the wide crop, then put in wide-crop units.
    centre = align.crop(photo, box, geo)
    cx, cy = find_mouth(centre)
    mouths = np.array([[0.5 + (cx - 0.5) / WIDE, 0.5 + (cy - 0.5) / WIDE]], np.float32)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, textures=photo_bank(256).numpy().astype(np.float16), photos=crops, photo_mouths=mouths)
    return {"photos": len(crops), "mouths": mouths.tolist()}


class Sources:
    """Faces with a mouth at rest, and where the mouth is: drawn, photo crops, or skin-tinted textures."""

    def __init__(self, data: dict[str, np.ndarray], device: str, size: int) -> None:
        self.device, self.size = device, size
        self.textures = torch.from_numpy(data["textures"].astype(np.float32)).to(device)
        self.photos = torch.from_numpy(data["photos"]).to(device).permute(0, 3, 1, 2).float() / 255
        self.photo_mouths = torch.from_numpy(data["photo_mouths"]).to(device)

    def drawn(self, n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        faces = Faces.sample(n, g, self.device, self.textures)
        pose = random_pose(n, g, self.device)
        rest = torch.rand(n, generator=g, device=self.device) * 0.12
        img = draw(faces, pose, rest, torch.ones(n, device=self.device), self.size, g, self.textures)
        # Where draw puts the mouth: the face's (0.5, mouth_y) through the pose's turn, scale and shift.
        turn, scale, sx, sy = pose.unbind(1)
        up = faces.p["mouth_y"] - 0.45
        mouth = torch.stack(
            [
                0.5 + sx - scale * torch.sin(turn) * up,
                0.45 + sy + scale * torch.cos(turn) * up,
                faces.p["mouth_w"] * scale,
            ],
            1,
        )
        return img, mouth

    def photo(self, n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """Augmented crops of the real photos: zoom, shift, turn, mirror, colour and light, blur and noise."""
        dev = self.device
        pick = torch.randint(len(self.photos), (n,), generator=g, device=dev)
        zoom = (1 + 0.06 * torch.randn(n, generator=g, device=dev)) / WIDE
        turn = 0.06 * torch.randn(n, generator=g, device=dev)
        mirror = torch.where(torch.rand(n, generator=g, device=dev) < 0.5, -1.0, 1.0)
        # Output u (in -1..1) samples the wide crop at A u + t; t puts the photo's mouth where a detector's
        # box would (about 0.565 down the crop, give or take), not where this one photo's box put it.
        cos, sin = torch.cos(turn) * zoom, torch.sin(turn) * zoom
        a = torch.stack([torch.stack([cos * mirror, -sin], 1), torch.stack([sin * mirror, cos], 1)], 1)
        place = torch.stack(
            [
                0.5 + 0.02 * torch.randn(n, generator=g, device=dev),
                0.565 + 0.025 * torch.randn(n, generator=g, device=dev),
            ],
            1,
        )
        u = place * 2 - 1
        shift = self.photo_mouths[pick] * 2 - 1 - (a @ u[:, :, None])[:, :, 0]
        theta = torch.cat([a, shift[:, :, None]], 2)
        grid = F.affine_grid(theta, [n, 3, self.size, self.size], align_corners=False)
        img = F.grid_sample(
            self.photos[pick], grid, mode="bilinear", padding_mode="border", align_corners=False
        )
        gain = (1 + 0.15 * torch.randn(n, 3, 1, 1, generator=g, device=dev)).clamp(0.6, 1.4)
        gamma = torch.exp(0.25 * torch.randn(n, 1, 1, 1, generator=g, device=dev))
        img = (img.clamp(1e-4, 1) ** gamma * gain).clamp(0, 1)
        half = 0.115 * (1 + 0.1 * torch.randn(n, generator=g, device=dev))
        return self._camera(img, g), torch.stack([(u[:, 0] + 1) / 2, (u[:, 1] + 1) / 2, half], 1)

    def textured(self, n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """Photo textures tinted like skin, with a lip seam where the mouth sits: the warp on pixels that are no face."""
        dev, s = self.device, self.size
        pick = self.textures[torch.randint(len(self.textures), (n,), generator=g, device=dev)]
        grey = F.interpolate(pick[:, None], size=(s, s), mode="area")
        tone = torch.tensor([0.85, 0.62, 0.5], device=dev)[None, :, None, None]
        tint = tone * (0.35 + 0.8 * torch.rand(n, 1, 1, 1, generator=g, device=dev))
        img = (0.55 + 0.6 * (grey - 0.5)) * tint * 1.5
        mouth = torch.stack(
            [
                0.5 + 0.03 * torch.randn(n, generator=g, device=dev),
                0.56 + 0.03 * torch.randn(n, generator=g, device=dev),
                0.09 + 0.05 * torch.rand(n, generator=g, device=dev),
            ],
            1,
        )
        lin = (torch.arange(s, device=dev) + 0.5) / s
        yy, xx = (t[None] for t in torch.meshgrid(lin, lin, indexing="ij"))
        mx, my, mw = (mouth[:, i, None, None] for i in range(3))
        lips = torch.sigmoid((1 - torch.sqrt(((xx - mx) / mw) ** 2 + ((yy - my) / 0.02) ** 2)) / 0.15)
        img = img * (1 - 0.35 * lips[:, None])
        return self._camera(img.clamp(0, 1), g), mouth

    def _camera(self, img: torch.Tensor, g: torch.Generator) -> torch.Tensor:
        n, dev = img.shape[0], self.device
        blur = torch.rand(n, 1, 1, 1, generator=g, device=dev) < 0.3
        img = torch.where(blur, F.avg_pool2d(img, 3, 1, 1, count_include_pad=False), img)
        sigma = torch.rand(n, 1, 1, 1, generator=g, device=dev) * 0.02
        return (img + sigma * torch.randn(img.shape, generator=g, device=dev)).clamp(0, 1)

    def sample(self, n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """``n`` sources: 40 % photo crops, 40 % drawn faces, 20 % textures."""
        k_photo, k_drawn = int(0.4 * n), int(0.4 * n)
        parts = [self.photo(k_photo, g), self.drawn(k_drawn, g), self.textured(n - k_photo - k_drawn, g)]
        return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


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
        pred = predict_latents(unet, inputs, batches.tokens(index), config)
        loss = ((pred - target).abs() * weights).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="write sources.npz (texture bank and photo crops)")
    prep.add_argument("--out", type=Path, default=Path(".avatar_data/sources.npz"))
    run = sub.add_parser("train", help="train a lip-sync folder's UNet further on opened mouths")
    run.add_argument("--model", type=Path, required=True, help="the lip-sync folder to start from")
    run.add_argument("--data", type=Path, default=Path(".avatar_data/train.npz"))
    run.add_argument("--sources", type=Path, default=Path(".avatar_data/sources.npz"))
    run.add_argument("--out", type=Path, default=Path("lipsync-out"))
    run.add_argument("--seconds", type=float, default=1200.0, help="wall-clock training budget")
    run.add_argument("--batch", type=int, default=64)
    run.add_argument("--lr", type=float, default=5e-4)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--warped", type=float, default=0.75, help="share of each batch that is opened sources")
    run.add_argument("--identities", type=int, default=192, help="sources in the opened pool")
    run.add_argument("--window", type=int, default=16, help="latent square around the mouth (0: whole crop)")
    run.add_argument(
        "--smiles", type=float, default=0.5, help="share of sources whose lips are apart at rest"
    )
    args = parser.parse_args(argv)
    if args.command == "prepare":
        print(json.dumps(prepare(args.out)))
        return
    torch.set_num_threads(max(1, torch.get_num_threads()))
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
    (args.out / "training.json").write_text(json.dumps(report, indent=2))
    print(json.dumps({k: v for k, v in report.items() if k != "log"}))


if __name__ == "__main__":
    main()

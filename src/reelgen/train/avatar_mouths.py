"""Mouths opened by a warp on any face, and the faces to open: the training targets of ``avatar_open``.

``open_mouth`` parts the lips of any pixels at a given mouth position, so the
same targets can be made from drawn faces, crops of a real photo and textures
(``Sources``). ``prepare`` writes what ``Sources`` needs into one file, so the
machine that trains needs no scikit-image, OpenCV or matplotlib.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from reelgen.core.backends.avatar.build import BUILTIN_CONFIG
from reelgen.core.face.align import CropGeometry
from reelgen.train.avatar_faces import Faces, draw, random_pose

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

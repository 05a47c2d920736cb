"""Procedurally drawn faces for training reelgen-lipsync: varied skin, shapes, hair, backgrounds, pose and mouths.

Faces are drawn straight into the model's crop (the square a face detector's box
gives, ``CropGeometry``): eyes near 0.26 of the height, the mouth near 0.6, the
chin near 0.78. ``Faces`` holds a batch of identities; ``draw`` renders them with
a pose (small turn, scale and shift: head motion and detector jitter) and a
mouth (opening 0..1 and width factor). Everything is torch on any device.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

#: Skin tones from very light to very dark (sRGB, 0..1).
SKIN_TONES = torch.tensor(
    [
        [0.98, 0.87, 0.78],
        [0.94, 0.78, 0.66],
        [0.88, 0.70, 0.56],
        [0.80, 0.60, 0.45],
        [0.70, 0.50, 0.36],
        [0.58, 0.40, 0.28],
        [0.45, 0.30, 0.21],
        [0.33, 0.22, 0.15],
        [0.24, 0.16, 0.11],
    ]
)
HAIR = torch.tensor(
    [
        [0.08, 0.06, 0.05],
        [0.25, 0.16, 0.09],
        [0.55, 0.38, 0.2],
        [0.85, 0.72, 0.45],
        [0.6, 0.6, 0.6],
        [0.5, 0.2, 0.1],
    ]
)


def _u(n: int, lo: float, hi: float, g: torch.Generator, device: Any) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, generator=g, device=device)


@dataclass
class Faces:
    """A batch of face identities: every number that stays fixed while the face talks."""

    p: dict[str, torch.Tensor]

    @classmethod
    def sample(
        cls, n: int, g: torch.Generator, device: Any = "cpu", textures: torch.Tensor | None = None
    ) -> Faces:
        u = lambda lo, hi: _u(n, lo, hi, g, device)  # noqa: E731
        tone = torch.rand(n, generator=g, device=device) * (len(SKIN_TONES) - 1)
        low = tone.floor().long()
        frac = (tone - low)[:, None]
        tones = SKIN_TONES.to(device)
        skin = tones[low] * (1 - frac) + tones[(low + 1).clamp(max=len(SKIN_TONES) - 1)] * frac
        skin = (skin * (1 + 0.08 * torch.randn(n, 3, generator=g, device=device))).clamp(0.05, 1)
        hair = HAIR.to(device)[torch.randint(len(HAIR), (n,), generator=g, device=device)]
        p = {
            "skin": skin,
            "hair": hair * u(0.7, 1.2)[:, None],
            "lip": (skin * torch.stack([u(0.7, 0.85), u(0.45, 0.6), u(0.45, 0.6)], 1)).clamp(0, 1),
            "cavity": torch.stack([u(0.1, 0.3), u(0.02, 0.08), u(0.03, 0.1)], 1),
            "bg_a": torch.rand(n, 3, generator=g, device=device),
            "bg_b": torch.rand(n, 3, generator=g, device=device),
            "head_rx": u(0.3, 0.4),
            "head_ry": u(0.42, 0.5),
            "head_cy": u(0.3, 0.36),
            "jaw": u(0.1, 0.35),
            "hairline": u(0.06, 0.16),
            "bald": (torch.rand(n, generator=g, device=device) < 0.15).float(),
            "eye_y": u(0.23, 0.29),
            "eye_dx": u(0.13, 0.17),
            "eye_r": u(0.035, 0.055),
            "iris": torch.rand(n, 3, generator=g, device=device) * 0.5,
            "nose_y": u(0.39, 0.45),
            "nose_w": u(0.04, 0.07),
            "mouth_y": u(0.54, 0.61),
            "mouth_w": u(0.09, 0.14),
            "lip_t": u(0.012, 0.024),
            "teeth": (torch.rand(n, generator=g, device=device) < 0.7).float(),
            "light": torch.randn(n, 2, generator=g, device=device) * 0.5,
            "photo_bg": (torch.rand(n, generator=g, device=device) < 0.5).float(),
            "photo_skin": u(0.0, 0.25) * (torch.rand(n, generator=g, device=device) < 0.5).float(),
            "beard": (torch.rand(n, generator=g, device=device) < 0.1).float(),
            "tex": torch.randint(
                0, max(1, len(textures) if textures is not None else 1), (n, 2), generator=g, device=device
            ),
            "tex_xy": torch.rand(n, 4, generator=g, device=device),
        }
        return cls(p)

    def take(self, index: torch.Tensor) -> Faces:
        return Faces({k: v[index] for k, v in self.p.items()})


def random_pose(n: int, g: torch.Generator, device: Any, scale: float = 1.0) -> torch.Tensor:
    """(n, 4): turn (radians), scale, shift x, shift y: detector jitter and head motion."""
    return torch.stack(
        [
            torch.randn(n, generator=g, device=device) * 0.06 * scale,
            1 + torch.randn(n, generator=g, device=device) * 0.05 * scale,
            torch.randn(n, generator=g, device=device) * 0.025 * scale,
            torch.randn(n, generator=g, device=device) * 0.025 * scale,
        ],
        1,
    )


def _blob(x: torch.Tensor, y: torch.Tensor, cx: Any, cy: Any, rx: Any, ry: Any, soft: float) -> torch.Tensor:
    """Anti-aliased ellipse coverage in 0..1."""
    d = torch.sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 + 1e-9)
    return torch.sigmoid((1 - d) / soft)


def _noise(n: int, size: int, cells: int, g: torch.Generator, device: Any) -> torch.Tensor:
    grid = torch.randn(n, 1, cells, cells, generator=g, device=device)
    return torch.nn.functional.interpolate(grid, size=(size, size), mode="bicubic", align_corners=False)[:, 0]


def _texture(faces: Faces, textures: torch.Tensor | None, size: int, which: int) -> torch.Tensor | None:
    """A grey photo patch per face (n, S, S) in about -0.5..0.5, or None without a texture bank."""
    if textures is None:
        return None
    n = faces.p["tex"].shape[0]
    bank = textures[faces.p["tex"][:, which]]  # (n, T, T)
    xy = faces.p["tex_xy"][:, 2 * which : 2 * which + 2] * 0.5
    theta = torch.zeros(n, 2, 3, device=bank.device)
    theta[:, 0, 0] = theta[:, 1, 1] = 0.5
    theta[:, :, 2] = xy * 2 - 0.5
    grid = torch.nn.functional.affine_grid(theta, [n, 1, size, size], align_corners=False)
    out = torch.nn.functional.grid_sample(bank[:, None], grid, align_corners=False)[:, 0]
    return out - out.mean(dim=(1, 2), keepdim=True)


def draw(
    faces: Faces,
    pose: torch.Tensor,
    opening: torch.Tensor,
    width: torch.Tensor,
    size: int,
    g: torch.Generator,
    textures: torch.Tensor | None = None,
) -> torch.Tensor:
    """Faces (n, 3, size, size) in [0, 1] with the given pose and mouth."""
    p = faces.p
    n, device = opening.shape[0], opening.device
    v = lambda key: p[key][:, None, None]  # noqa: E731
    lin = (torch.arange(size, device=device) + 0.5) / size
    yy, xx = torch.meshgrid(lin, lin, indexing="ij")
    turn, scale, sx, sy = (pose[:, i, None, None] for i in range(4))
    dx, dy = xx[None] - 0.5 - sx, yy[None] - 0.45 - sy
    x = (torch.cos(turn) * dx + torch.sin(turn) * dy) / scale + 0.5
    y = (-torch.sin(turn) * dx + torch.cos(turn) * dy) / scale + 0.45
    soft = 0.6 / size / 0.05

    # 1. Background: a gradient with cloudy noise, or a photo.
    t = (xx[None] * 0.6 + yy[None] * 0.4).expand(n, size, size)[:, None]
    img = p["bg_a"][:, :, None, None] * (1 - t) + p["bg_b"][:, :, None, None] * t
    img = img * (1 + 0.25 * _noise(n, size, 5, g, device)[:, None])
    photo = _texture(faces, textures, size, 0)
    if photo is not None:
        tinted = (0.5 + photo)[:, None] * (0.5 + p["bg_a"][:, :, None, None])
        img = img + v("photo_bg")[:, None] * (tinted - img)

    # 2. Hair behind and above the head, the neck, then the face with light and skin texture.
    hair = _blob(x, y, 0.5, v("head_cy") - 0.03, v("head_rx") * 1.08, v("head_ry") * 1.02, soft * 3)
    hair = hair * (y < v("head_cy")).float() * (1 - v("bald"))
    img = img + hair[:, None] * (p["hair"][:, :, None, None] - img)
    neck = ((x - 0.5).abs() < v("head_rx") * 0.42).float() * (y > v("head_cy")).float()
    img = img + neck[:, None] * (p["skin"][:, :, None, None] * 0.8 - img)
    below = (y - v("head_cy")).clamp(min=0) / v("head_ry")
    head = _blob(x, y, 0.5, v("head_cy"), v("head_rx") * (1 - v("jaw") * below**2), v("head_ry"), soft)
    light = 1 + 0.3 * (p["light"][:, 0, None, None] * (x - 0.5) + p["light"][:, 1, None, None] * (y - 0.4))
    skin = p["skin"][:, :, None, None] * light[:, None] * (1 + 0.06 * _noise(n, size, 9, g, device)[:, None])
    grain = _texture(faces, textures, size, 1)
    if grain is not None:
        skin = skin * (1 + v("photo_skin")[:, None] * grain[:, None])
    img = img + head[:, None] * (skin - img)
    fringe = hair * (y < v("head_cy") - v("head_ry") + v("hairline") + 0.08).float()
    img = img + fringe[:, None] * (p["hair"][:, :, None, None] - img)

    # 3. Eyes, brows and nose.
    for side in (-1.0, 1.0):
        ex = 0.5 + side * v("eye_dx")
        white = _blob(x, y, ex, v("eye_y"), v("eye_r") * 1.3, v("eye_r") * 0.6, soft)
        img = img + white[:, None] * (0.92 - img)
        iris = _blob(x, y, ex, v("eye_y"), v("eye_r") * 0.5, v("eye_r") * 0.5, soft) * white
        img = img + iris[:, None] * (p["iris"][:, :, None, None] - img)
        brow = _blob(x, y, ex, v("eye_y") - 0.055, v("eye_r") * 1.5, 0.012, soft)
        img = img + brow[:, None] * (p["hair"][:, :, None, None] * 0.8 - img)
    nose = _blob(x, y, 0.5, v("nose_y"), v("nose_w"), 0.025, soft * 3)
    img = img * (1 - 0.18 * nose[:, None])
    for side in (-1.0, 1.0):
        nostril = _blob(x, y, 0.5 + side * v("nose_w") * 0.45, v("nose_y") + 0.012, 0.012, 0.007, soft)
        img = img * (1 - 0.5 * nostril[:, None])
    beard = v("beard") * _blob(x, y, 0.5, v("mouth_y") + 0.05, v("head_rx") * 0.75, 0.12, soft * 4)
    img = img + beard[:, None] * (p["hair"][:, :, None, None] - img)

    # 4. The mouth: lips around a cavity whose height follows the opening, teeth at its top.
    o, w = opening[:, None, None], width[:, None, None]
    gap = o * 0.11
    my, mw = v("mouth_y"), v("mouth_w") * w * (1 + 0.08 * o)
    lips = _blob(x, y, 0.5, my, mw, v("lip_t") + gap / 2, soft)
    img = img + lips[:, None] * (p["lip"][:, :, None, None] * light[:, None] - img)
    cavity = _blob(x, y, 0.5, my, mw * 0.82, gap / 2 + 0.0015, soft) * (o > 0.02).float()
    img = img + cavity[:, None] * (p["cavity"][:, :, None, None] - img)
    teeth = cavity * (y < my - gap / 2 + gap * 0.3).float() * v("teeth")
    img = img + teeth[:, None] * (0.88 - img)
    seam = _blob(x, y, 0.5, my, mw * 0.9, 0.004, soft) * (1 - cavity)
    img = img * (1 - 0.45 * seam[:, None])

    # 5. Camera: a little blur and sensor noise.
    img = img.clamp(0, 1)
    blur = torch.rand(n, 1, 1, 1, generator=g, device=device) < 0.3
    soft_img = torch.nn.functional.avg_pool2d(img, 3, 1, 1, count_include_pad=False)
    img = torch.where(blur, soft_img, img)
    sigma = torch.rand(n, 1, 1, 1, generator=g, device=device) * 0.03
    return (img + sigma * torch.randn(img.shape, generator=g, device=device)).clamp(0, 1)


def photo_bank(size: int = 256, device: Any = "cpu") -> torch.Tensor:
    """Grey patches of the photos scikit-image ships, as textures (the astronaut is kept out: it is the test face)."""
    import numpy as np
    from skimage import color, data, transform

    names = ("chelsea", "coffee", "rocket", "brick", "grass", "gravel", "camera", "moon", "coins", "horse")
    out = []
    for name in names:
        try:
            img = np.asarray(getattr(data, name)(), dtype=np.float32)
        except Exception:  # a photo this scikit-image does not ship offline
            continue
        img = img / 255.0 if img.max() > 1.5 else img
        grey = color.rgb2gray(img) if img.ndim == 3 else img
        out.append(transform.resize(grey, (size, size), anti_aliasing=True).astype(np.float32))
    return torch.from_numpy(np.stack(out)).to(device)


def mouth_opening_of(crops: torch.Tensor, mouth: tuple[float, float, float, float]) -> torch.Tensor:
    """How open the mouths in crops (n, 3, S, S, 0..1) look: the share of dark pixels in the inner mouth.

    Dark means below 55% of the crop's median skin brightness (the cheeks' band).
    """
    n, _, s, _ = crops.shape
    luma = 0.299 * crops[:, 0] + 0.587 * crops[:, 1] + 0.114 * crops[:, 2]
    cx, cy, rx, ry = mouth
    lin = (torch.arange(s, device=crops.device) + 0.5) / s
    yy, xx = torch.meshgrid(lin, lin, indexing="ij")
    inner = (((xx - cx) / (rx * 0.6)) ** 2 + ((yy - cy) / ry) ** 2) <= 1
    band = luma[:, int(s * 0.42) : int(s * 0.5), int(s * 0.3) : int(s * 0.7)].reshape(n, -1)
    skin = band.median(dim=1).values.clamp(min=0.05)
    dark = (luma < 0.55 * skin[:, None, None]) & inner[None]
    return dark.float().sum(dim=(1, 2)) / inner.sum()


def degrees(radians: float) -> float:
    return radians * 180 / math.pi

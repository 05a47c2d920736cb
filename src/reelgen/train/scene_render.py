"""Draws procedural scenes (see :mod:`reelgen.train.scenes`) as video frames with torch, on a CPU or a GPU.

Shapes are signed-distance functions evaluated per pixel with one pixel of
antialiasing; backgrounds and objects live in world coordinates so camera pans
and zooms move everything together.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from reelgen.train.scenes import BACKGROUND_COLOURS, BACKGROUND_KINDS, POLYGONS, Scene, SceneObject

if TYPE_CHECKING:
    import torch


# ---- trajectories ---------------------------------------------------------------------------------


def trajectory(obj: SceneObject, frames: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre (x, y shares), radius scale and rotation of ``obj`` at each of ``frames`` frames."""
    s = np.linspace(0.0, 1.0, frames)
    x, y = np.full(frames, obj.x), np.full(frames, obj.y)
    scale, angle = np.ones(frames), np.full(frames, obj.turn)
    step = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}.get(obj.motion)
    if step is not None:
        x, y = x + step[0] * obj.travel * s, y + step[1] * obj.travel * s
    elif obj.motion == "bouncing":
        y = obj.y - 0.3 * np.abs(np.sin(np.pi * 2 * s))
    elif obj.motion == "growing":
        scale = 0.55 + 0.8 * s
    elif obj.motion == "shrinking":
        scale = 1.35 - 0.8 * s
    elif obj.motion == "rotating":
        angle = obj.turn + (1.6 if obj.x < 0.5 else -1.6) * s
    return np.stack([x, y], -1), scale, angle


def camera_path(camera: str, frames: int) -> tuple[np.ndarray, np.ndarray]:
    """World offset (share of the short side) and zoom at each frame."""
    s = np.linspace(0.0, 1.0, frames)
    offset, zoom = np.zeros((frames, 2)), np.ones(frames)
    pan = {"pan left": (-1, 0), "pan right": (1, 0), "pan up": (0, -1), "pan down": (0, 1)}.get(camera)
    if pan is not None:
        offset = np.outer(s, pan) * 0.12
    elif camera == "zoom in":
        zoom = 1.0 + 0.25 * s
    elif camera == "zoom out":
        zoom = 1.25 - 0.25 * s
    return offset, zoom


# ---- rendering ------------------------------------------------------------------------------------


def _shape_distance(qx: torch.Tensor, qy: torch.Tensor, n: torch.Tensor, inner: torch.Tensor) -> torch.Tensor:
    """Signed distance (in outer radii) to a regular polygon/star; n == 0 means a circle.

    The plane is folded into one half-sector, where the outline is the straight
    edge from an outer vertex (radius 1, angle 0) to an inner one.
    """
    import torch

    r = torch.sqrt(qx * qx + qy * qy)
    if not bool((n > 0).any()):
        return r - 1.0
    sides = torch.clamp(n, min=1.0)
    sector = 2 * math.pi / sides
    phi = torch.remainder(torch.atan2(qx, -qy), sector)
    phi = torch.minimum(phi, sector - phi)
    half = sector / 2
    bx, by = inner * torch.cos(half), inner * torch.sin(half)
    nx, ny = by, 1.0 - bx  # normal of the edge from (1, 0) to (bx, by)
    norm = torch.sqrt(nx * nx + ny * ny)
    polygon = (r * (nx * torch.cos(phi) + ny * torch.sin(phi)) - nx) / norm
    return torch.where(n > 0, polygon, r - 1.0)


def _shade(rgb: tuple[int, int, int]) -> tuple[float, ...]:
    """The second colour of a texture: a darker shade of a light colour, a lighter one of a dark colour."""
    factor = 0.72 if sum(rgb) > 300 else 1.35
    return tuple(c * factor + 8 for c in rgb)


def scene_arrays(scenes: list[Scene], frames: int) -> dict[str, np.ndarray]:
    """The per-clip numbers :func:`render_arrays` draws from (plain numpy, cheap to pass between processes)."""
    slots = max(len(s.objects) for s in scenes)
    b = len(scenes)
    out: dict[str, np.ndarray] = {
        "kind": np.array([BACKGROUND_KINDS.index(s.background) for s in scenes], np.float32),
        "c1": np.array([BACKGROUND_COLOURS[s.colour] for s in scenes], np.float32) / 255,
        "angle": np.array([s.bg_angle for s in scenes], np.float32),
        "period": np.array([s.bg_period for s in scenes], np.float32),
        "offset": np.zeros((b, frames, 2), np.float32),
        "zoom": np.ones((b, frames), np.float32),
        "present": np.zeros((b, slots), np.float32),
        "rgb": np.zeros((b, slots, 3), np.float32),
        "n": np.zeros((b, slots), np.float32),
        "inner": np.ones((b, slots), np.float32),
        "centre": np.zeros((b, slots, frames, 2), np.float32),
        "radius": np.ones((b, slots, frames), np.float32),
        "rot": np.zeros((b, slots, frames), np.float32),
    }
    c2 = [BACKGROUND_COLOURS[s.colour_2] for s in scenes]
    shade = [_shade(BACKGROUND_COLOURS[s.colour]) for s in scenes]
    out["c2"] = np.clip(
        np.array(
            [c2[i] if s.background == "gradient" else shade[i] for i, s in enumerate(scenes)], np.float32
        )
        / 255,
        0,
        1,
    )
    for i, scene in enumerate(scenes):
        out["offset"][i], out["zoom"][i] = camera_path(scene.camera, frames)
        # Slot order is drawing order: secondary objects first, the dominant one last (on top).
        for slot, obj in enumerate(reversed(scene.objects)):
            centre, scale, angle = trajectory(obj, frames)
            n, inner, grow, turn = POLYGONS.get(obj.shape, (0, 1.0, 1.0, 0.0))
            out["present"][i, slot], out["rgb"][i, slot] = 1.0, np.array(obj.rgb) / 255
            out["n"][i, slot], out["inner"][i, slot] = n, inner
            out["centre"][i, slot], out["radius"][i, slot] = centre, obj.radius * grow * scale
            out["rot"][i, slot] = angle + turn
    return out


def _background(
    p: dict[str, torch.Tensor], wx: torch.Tensor, wy: torch.Tensor, pixel: torch.Tensor
) -> torch.Tensor:
    """Background colours at world points; each texture is computed only if a clip in the batch uses it."""
    import torch

    def per_clip(name: str) -> torch.Tensor:
        return p[name].view(-1, 1, 1, 1)

    cos, sin, period = torch.cos(per_clip("angle")), torch.sin(per_clip("angle")), per_clip("period")
    along, across = wx * cos + wy * sin, -wx * sin + wy * cos
    wave = torch.sin(2 * math.pi * along / period)

    def dots() -> torch.Tensor:
        gx, gy = torch.remainder(along, period) - period / 2, torch.remainder(across, period) - period / 2
        return torch.clamp((period * 0.22 - torch.sqrt(gx * gx + gy * gy)) / pixel + 0.5, 0, 1)

    textures = {
        1: lambda: torch.clamp(0.5 + along / 1.4, 0, 1),
        2: lambda: torch.clamp(wave * period / (6 * pixel) + 0.5, 0, 1),
        3: lambda: torch.clamp(
            wave * torch.sin(2 * math.pi * across / period) * period / (3 * pixel) + 0.5, 0, 1
        ),
        4: dots,
    }
    kind = per_clip("kind")
    mix = torch.zeros_like(along)
    for index, texture in textures.items():
        if bool((p["kind"] == index).any()):
            mix = torch.where(kind == index, texture(), mix)
    c1, c2 = p["c1"].view(-1, 1, 1, 1, 3), p["c2"].view(-1, 1, 1, 1, 3)
    return c1 + (c2 - c1) * mix.unsqueeze(-1)


def render_batch(
    scenes: list[Scene],
    width: int,
    height: int,
    frames: int,
    device: str | torch.device = "cpu",
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """Render ``scenes`` to float RGB clips in [0, 1], shaped (B, frames, height, width, 3)."""
    clips = render_arrays(scene_arrays(scenes, frames), width, height, device)
    return clips if dtype is None else clips.to(dtype)


def render_arrays(
    arrays: dict[str, np.ndarray], width: int, height: int, device: str | torch.device = "cpu"
) -> torch.Tensor:
    """Render :func:`scene_arrays` output to float RGB clips in [0, 1], (B, frames, height, width, 3)."""
    import torch

    p = {k: torch.as_tensor(v, device=device) for k, v in arrays.items()}
    side = min(width, height)
    xs = (torch.arange(width, device=device) + 0.5 - width / 2) / side
    ys = (torch.arange(height, device=device) + 0.5 - height / 2) / side
    zoom = p["zoom"].view(*p["zoom"].shape, 1, 1)
    wx = xs.view(1, 1, 1, -1) / zoom + p["offset"][..., 0, None, None]
    wy = ys.view(1, 1, -1, 1) / zoom + p["offset"][..., 1, None, None]
    pixel = 1.0 / (side * zoom)
    image = _background(p, wx, wy, pixel)
    aspect = torch.tensor([width / side, height / side], device=device)
    for slot in range(p["present"].shape[1]):
        centre = (p["centre"][:, slot] - 0.5) * aspect  # B, T, 2 in world units
        radius, rot = p["radius"][:, slot, :, None, None], p["rot"][:, slot, :, None, None]
        dx, dy = wx - centre[..., 0, None, None], wy - centre[..., 1, None, None]
        cos, sin = torch.cos(rot), torch.sin(rot)
        qx, qy = (dx * cos + dy * sin) / radius, (-dx * sin + dy * cos) / radius
        n, inner = p["n"][:, slot].view(-1, 1, 1, 1), p["inner"][:, slot].view(-1, 1, 1, 1)
        distance = _shape_distance(qx, qy, n, inner) * radius
        alpha = torch.clamp(0.5 - distance / pixel, 0, 1) * p["present"][:, slot].view(-1, 1, 1, 1)
        image = image + (p["rgb"][:, slot].view(-1, 1, 1, 1, 3) - image) * alpha.unsqueeze(-1)
    return image.clamp(0, 1)


def render_scene(scene: Scene, width: int = 128, height: int = 128, frames: int = 25) -> np.ndarray:
    """One scene as uint8 frames (T, H, W, 3), e.g. for tests and the evaluator's ground truth."""
    import torch

    clip = render_batch([scene], width, height, frames)[0]
    return (clip * 255).round().to(torch.uint8).numpy()

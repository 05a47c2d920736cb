"""Prompt adherence of reelgen-micro's clips: what the dominant object is and does, and how often it matches.

Plain image analysis on uint8 frames (T, H, W, 3) with numpy, so it runs
anywhere and needs no model: the background is read from the frame borders,
the dominant object is the colour with the most foreground pixels, and its
shape and motion are named from its outline and track. The words it can name
are those of :mod:`reelgen.train.scenes`. Generic clip checks (black, frozen,
flash, flicker) are not here; they are :mod:`reelgen.core.quality`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from reelgen.train.scenes import DIRECTIONS, OBJECT_COLOURS

# ---- colour -----------------------------------------------------------------------------------


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (..., 3) in 0..255 to CIE Lab (D65), where Euclidean distance tracks perceived difference."""
    c = np.asarray(rgb, np.float64) / 255.0
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


_PALETTE_NAMES = list(OBJECT_COLOURS)
_PALETTE_LAB = rgb_to_lab(np.array(list(OBJECT_COLOURS.values())))


def name_colour(rgb: np.ndarray | tuple[float, float, float]) -> str:
    """The nearest object colour name (see ``scenes.OBJECT_COLOURS``) to an sRGB colour."""
    lab = rgb_to_lab(np.asarray(rgb, np.float64))
    return _PALETTE_NAMES[int(np.argmin(np.linalg.norm(_PALETTE_LAB - lab, axis=-1)))]


# ---- foreground and components ----------------------------------------------------------------

#: Lab distance from every background colour beyond which a pixel counts as foreground.
FOREGROUND_DELTA = 28.0


def _border(frames: np.ndarray, width: int = 2) -> np.ndarray:
    top, bottom = frames[:, :width].reshape(-1, 3), frames[:, -width:].reshape(-1, 3)
    left, right = frames[:, :, :width].reshape(-1, 3), frames[:, :, -width:].reshape(-1, 3)
    return np.concatenate([top, bottom, left, right])


def background_palette(frames: np.ndarray, min_share: float = 0.005) -> np.ndarray:
    """Lab colours of the background, from the frame borders of the whole clip.

    Border pixels are binned (32 levels per channel); bins holding less than
    ``min_share`` of them are dropped, so an object that grazes the edge in a few
    frames does not become background. Gradients and textures keep all their shades.
    """
    border = _border(frames).astype(np.int64)
    bins = (border[:, 0] // 32) * 64 + (border[:, 1] // 32) * 8 + border[:, 2] // 32
    counts = np.bincount(bins, minlength=512)
    keep = np.flatnonzero(counts >= max(1, min_share * len(bins)))
    if len(keep) == 0:  # a border of noise: no colour recurs often enough to be the background
        return np.empty((0, 3))
    return rgb_to_lab(np.stack([border[bins == b].mean(0) for b in keep]))


_LEVELS = 32  # colours are looked up on a 32x32x32 grid: within 4 of each sRGB value
_GRID_LAB = rgb_to_lab(
    (np.stack(np.meshgrid(*[np.arange(_LEVELS)] * 3, indexing="ij"), -1).reshape(-1, 3) + 0.5)
    * (256 / _LEVELS)
)


def _grid_index(frames: np.ndarray) -> np.ndarray:
    q = np.asarray(frames, np.int64) * _LEVELS // 256
    return (q[..., 0] * _LEVELS + q[..., 1]) * _LEVELS + q[..., 2]


def foreground_mask(frames: np.ndarray) -> np.ndarray:
    """Boolean (T, H, W): pixels far from every background colour, with specks removed.

    With no background to measure against (frames of noise) nothing is foreground.
    """
    palette = background_palette(frames)
    if len(palette) == 0:
        return np.zeros(frames.shape[:3], bool)
    distance = np.min(np.linalg.norm(_GRID_LAB[:, None, :] - palette[None], axis=-1), axis=1)
    return _open(distance[_grid_index(frames)] > FOREGROUND_DELTA)


def _shift_min(mask: np.ndarray) -> np.ndarray:
    out = mask.copy()
    out[..., 1:, :] &= mask[..., :-1, :]
    out[..., :-1, :] &= mask[..., 1:, :]
    out[..., :, 1:] &= mask[..., :, :-1]
    out[..., :, :-1] &= mask[..., :, 1:]
    return out


def _shift_max(mask: np.ndarray) -> np.ndarray:
    out = mask.copy()
    out[..., 1:, :] |= mask[..., :-1, :]
    out[..., :-1, :] |= mask[..., 1:, :]
    out[..., :, 1:] |= mask[..., :, :-1]
    out[..., :, :-1] |= mask[..., :, 1:]
    return out


def _open(mask: np.ndarray) -> np.ndarray:
    """Morphological opening with a 4-neighbour cross: removes one-pixel lines and specks."""
    return _shift_max(_shift_min(mask))


def label_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """4-connected components of a 2-D mask: labels (0 = none, 1..n) and n.

    Each pixel starts with its own index and repeatedly takes the smallest index
    of its neighbours (with pointer jumping), so a component ends up named by
    its first pixel.
    """
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    if len(rows) == 0:
        return np.zeros(mask.shape, np.int64), 0
    box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    full = np.zeros(mask.shape, np.int64)
    full[box], count = _label_box(mask[box])
    return full, count


def _label_box(mask: np.ndarray) -> tuple[np.ndarray, int]:
    h, w = mask.shape
    big = h * w
    labels = np.where(mask, np.arange(big).reshape(h, w), big)
    while True:
        best = labels.copy()
        best[1:, :] = np.minimum(best[1:, :], labels[:-1, :])
        best[:-1, :] = np.minimum(best[:-1, :], labels[1:, :])
        best[:, 1:] = np.minimum(best[:, 1:], labels[:, :-1])
        best[:, :-1] = np.minimum(best[:, :-1], labels[:, 1:])
        best = np.where(mask, best, big)
        flat = np.append(best.ravel(), big)
        best = np.where(mask, flat[np.minimum(flat[best], big)], big)  # jump to the root's label
        if np.array_equal(best, labels):
            break
        labels = best
    roots, inverse = np.unique(labels, return_inverse=True)
    inverse = inverse.reshape(h, w) + 1
    inverse[~mask] = 0
    return inverse, int((roots < big).sum())


# ---- shape ------------------------------------------------------------------------------------

_HARMONIC_SHAPES = {3: "triangle", 4: "square", 5: "star"}
#: Relative amplitude of the strongest corner harmonic below which an outline is a circle.
CIRCLE_LIMIT = 0.045
#: How far the corner harmonic must stand above the other low harmonics; a ragged round blob has no
#: single one that does.
PEAK_RATIO = 3.0


def _outline_harmonics(mask: np.ndarray) -> np.ndarray | None:
    """Complex harmonics 0..8 of the outline's radius around the centroid (None if too small)."""
    ys, xs = np.nonzero(mask)
    if len(xs) < 25:
        return None
    cy, cx = ys.mean(), xs.mean()
    edge = mask & ~_shift_min(mask)
    ey, ex = np.nonzero(edge)
    angle = np.arctan2(ex - cx, -(ey - cy))
    radius = np.hypot(ex - cx, ey - cy) + 0.5
    bins = 48
    index = ((angle + np.pi) / (2 * np.pi) * bins).astype(int) % bins
    profile = np.full(bins, np.nan)
    np.fmax.at(profile, index, radius)
    known = np.flatnonzero(~np.isnan(profile))
    if len(known) < bins // 2:
        return None
    profile = np.interp(np.arange(bins), known, profile[known], period=bins)
    return np.fft.rfft(profile)[:9] / bins


def classify_shape(mask: np.ndarray) -> tuple[str | None, float | None]:
    """The shape of one object's mask (circle, square, triangle, star) and its orientation angle."""
    harmonics = _outline_harmonics(mask)
    if harmonics is None:
        return None, None
    amplitude = 2 * np.abs(harmonics[1:6]) / abs(harmonics[0])  # harmonics 1..5
    k = int(np.argmax(amplitude[2:])) + 3
    peak = amplitude[k - 1]
    rest = (amplitude.sum() - peak) / 4
    if peak < CIRCLE_LIMIT or peak < PEAK_RATIO * rest:
        return "circle", None
    return _HARMONIC_SHAPES[k], float(np.angle(harmonics[k]) / k)


# ---- motion -----------------------------------------------------------------------------------

#: Net travel (share of the short side) above which motion is a direction.
TRAVEL_LIMIT = 0.14
#: Frames an object must be seen in before its motion is judged.
MIN_TRACK = 3


def classify_motion(
    centres: np.ndarray, areas: np.ndarray, angles: list[float], symmetry: int, side: int
) -> tuple[str | None, tuple[float, float]]:
    """Motion class from a centroid track (NaN where unseen), areas and orientations.

    An object seen in fewer than ``MIN_TRACK`` frames has no motion (None).
    """
    seen = ~np.isnan(centres[:, 0])
    if seen.sum() < MIN_TRACK:
        return None, (0.0, 0.0)
    t = np.flatnonzero(seen).astype(float)
    span = max(len(centres) - 1, 1)
    # Least-squares slope of position over time (net travel across the whole clip).
    slope_x, slope_y = (np.cov(t, centres[seen, i], bias=True)[0, 1] / np.var(t) for i in (0, 1))
    dx, dy = float(slope_x * span / side), float(slope_y * span / side)
    if max(abs(dx), abs(dy)) >= TRAVEL_LIMIT:
        if abs(dx) >= abs(dy):
            return ("right" if dx > 0 else "left"), (dx, dy)
        return ("down" if dy > 0 else "up"), (dx, dy)
    if np.ptp(centres[seen, 1]) / side >= 0.12:
        return "bouncing", (dx, dy)
    quarter = max(1, len(t) // 4)
    first, last = areas[seen][:quarter].mean(), areas[seen][-quarter:].mean()
    if last >= 1.5 * first:
        return "growing", (dx, dy)
    if last <= first / 1.5:
        return "shrinking", (dx, dy)
    if symmetry and len(angles) >= 3:
        turned = np.unwrap(np.array(angles) * symmetry) / symmetry
        if np.ptp(turned) >= 0.35:
            return "rotating", (dx, dy)
    return "still", (dx, dy)


# ---- the dominant object ----------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectAnalysis:
    """What the evaluator saw of a clip's dominant object."""

    colour: str | None
    shape: str | None
    motion: str | None
    rgb: tuple[int, int, int] | None
    seen: float  # share of frames where it was found
    travel: tuple[float, float]  # net (dx, dy) as shares of the short side
    centres: list[list[float]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _frame_components(frame: np.ndarray, mask: np.ndarray, min_area: int) -> list[tuple[str, np.ndarray]]:
    labels, count = label_components(mask)
    found = []
    for index in range(1, count + 1):
        component = labels == index
        if component.sum() >= min_area:
            core = _shift_min(component) if component.sum() > 60 else component
            found.append((name_colour(np.median(frame[core], axis=0)), component))
    return found


def analyze_clip(frames: np.ndarray, min_area: int = 15) -> ObjectAnalysis:
    """Find the dominant object of ``frames`` (uint8 T, H, W, 3) and name its colour, shape and motion.

    The dominant object is the colour with the most foreground pixels over the
    clip; in each frame it is that colour's largest connected component.
    """
    frames = np.asarray(frames)
    masks = foreground_mask(frames)
    per_frame = [_frame_components(f, m, min_area) for f, m in zip(frames, masks, strict=True)]
    totals: Counter[str] = Counter()
    for components in per_frame:
        for name, component in components:
            totals[name] += int(component.sum())
    if not totals:
        return ObjectAnalysis(None, None, None, None, 0.0, (0.0, 0.0))
    colour = totals.most_common(1)[0][0]
    centres = np.full((len(frames), 2), np.nan)
    areas = np.zeros(len(frames))
    shapes: Counter[str] = Counter()
    angles: list[float] = []
    pixels = []
    for i, components in enumerate(per_frame):
        mine = [c for name, c in components if name == colour]
        if not mine:
            continue
        component = max(mine, key=lambda c: int(c.sum()))
        ys, xs = np.nonzero(component)
        centres[i], areas[i] = (xs.mean(), ys.mean()), len(xs)
        pixels.append(frames[i][component])
        shape, angle = classify_shape(component)
        if shape is not None:
            shapes[shape] += 1
        if angle is not None:
            angles.append(angle)
    shape_name = shapes.most_common(1)[0][0] if shapes else None
    symmetry = {"triangle": 3, "square": 4, "star": 5}.get(shape_name or "", 0)
    motion, travel = classify_motion(centres, areas, angles, symmetry, min(frames.shape[1:3]))
    red, green, blue = (int(v) for v in np.median(np.concatenate(pixels), axis=0))
    seen = float((~np.isnan(centres[:, 0])).mean())
    track = [[round(float(x), 1), round(float(y), 1)] for x, y in centres]
    return ObjectAnalysis(colour, shape_name, motion, (red, green, blue), seen, travel, track)


# ---- prompt adherence -------------------------------------------------------------------------


@dataclass(frozen=True)
class AdherenceResult:
    """One prompt: what it asked for and what the clip showed."""

    prompt: str
    seed: int
    expected: dict[str, str]
    found: ObjectAnalysis

    @property
    def checks(self) -> dict[str, bool]:
        got = {"colour": self.found.colour, "shape": self.found.shape, "motion": self.found.motion}
        return {k: got[k] == v for k, v in self.expected.items()}


def adherence_summary(results: list[AdherenceResult]) -> dict[str, Any]:
    """Share of prompts whose clip shows the asked colour, shape and motion (direction for moving ones)."""

    def share(items: list[bool]) -> float | None:
        return round(sum(items) / len(items), 4) if items else None

    summary: dict[str, Any] = {"prompts": len(results)}
    for key in ("colour", "shape", "motion"):
        summary[f"{key}_correct"] = share([r.checks[key] for r in results if key in r.expected])
    directional = [r for r in results if r.expected.get("motion") in DIRECTIONS]
    summary["direction_prompts"] = len(directional)
    summary["direction_correct"] = share([r.checks["motion"] for r in directional])
    summary["all_correct"] = share([all(r.checks.values()) for r in results])
    summary["object_found"] = share([r.found.colour is not None for r in results])
    confusion: dict[str, Counter[str]] = {}
    for r in results:
        for key in ("colour", "motion"):
            want = r.expected.get(key)
            if want is not None:
                confusion.setdefault(f"{key}:{want}", Counter())[str(getattr(r.found, key))] += 1
    summary["confusion"] = {k: dict(v) for k, v in sorted(confusion.items())}
    return summary

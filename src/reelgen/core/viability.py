"""Keyframe viability: is this image worth GPU time? Resolution, sharpness, exposure and aspect fit, scored 0..1.

Each part scores 1 for a good keyframe and falls to 0 as it gets worse; the
keyframe's score is its weakest part (a sharp photo that must be blown up 4x
is still a poor start). A batch skips keyframes under its threshold and says
which parts failed and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from reelgen.core.media import load_image
from reelgen.core.motion.path import Rect

#: The score under which a batch skips a keyframe, unless its manifest says otherwise.
DEFAULT_THRESHOLD = 0.5

#: Resolution: no penalty while the image is magnified at most 1/RES_FULL (1.33x); none left at 4x.
RES_FULL, RES_NONE = 0.75, 0.25
#: Sharpness is measured on the picture shrunk to the output's short side (as the model sees it),
#: but never on fewer than SHARP_SIDE_MIN pixels (tiny test outputs) or more than SHARP_SIDE_MAX.
SHARP_SIDE_MIN, SHARP_SIDE_MAX = 256, 720
#: ... as mean |Laplacian| / mean |gradient|: contrast-free, near 0.4 for a smooth blur and above
#: 1.2 for sharp photos (scikit-image's astronaut, coffee, rocket, camera: 1.28 to 2.06; the same
#: blurred by a 2 px Gaussian: 0.45 to 0.79). Scores rise from SHARP_NONE to SHARP_FULL.
SHARP_NONE, SHARP_FULL = 0.6, 1.1
#: That ratio ignores contrast, so faint noise on a flat grey picture measured "sharp" (above 3).
#: Texture is the spread (of 255) of the band a 1 px and a 4 px Gaussian blur keep apart: pixel
#: noise mostly falls below it (0.37 for noise of 1.4 levels, 0.77 for 3), scikit-image's photos
#: measure 3.3 (the dim moon) to 21, blurred by 2 px 2.1 to 12, darkened to 15 % 0.5 to 3.2
#: (those fail exposure anyway). Scores rise from FLAT_NONE to FLAT_FULL.
FLAT_NONE, FLAT_FULL = 0.6, 1.2
#: Exposure: natural photos clip under 1 % of pixels to white; 20 % clipped is ruined highlights.
CLIPPED_LEVEL, CLIPPED_OK, CLIPPED_BAD = 250, 0.03, 0.20
#: Mean luma (of 255) outside BRIGHT_OK..DARK_OK starts to cost, fully at BRIGHT_BAD / DARK_BAD.
BRIGHT_OK, BRIGHT_BAD = 190.0, 240.0
DARK_OK, DARK_BAD = 45.0, 10.0
#: Aspect fit: the share of the picture a centre crop to the output keeps; 75 % is fine, 30 % is not.
KEEP_FULL, KEEP_NONE = 0.75, 0.30

_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _ramp(value: float, none: float, full: float) -> float:
    """0 at ``none``, 1 at ``full``, linear between (either direction), clipped."""
    return float(np.clip((value - none) / (full - none), 0.0, 1.0))


@dataclass(frozen=True)
class Viability:
    """A keyframe's score (its weakest part), each part's score and measurement, and what is wrong."""

    score: float
    parts: dict[str, float]
    measured: dict[str, float]
    problems: list[str] = field(default_factory=list)

    def passes(self, threshold: float) -> bool:
        return self.score >= threshold

    def reasons(self, threshold: float) -> list[str]:
        """The problems of the parts scoring under ``threshold``."""
        return [p for p in self.problems if self.parts[p.split(" ", 1)[0]] < threshold]

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 3),
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
            "measured": {k: round(v, 4) for k, v in self.measured.items()},
            "problems": list(self.problems),
        }


def _resolution(
    size: tuple[float, float], output: tuple[int, int], picture: tuple[int, int] | None = None
) -> tuple[float, float, str]:
    """Scored on ``size``: the picture's own, or (with ``picture``) a camera path's tightest crop of it."""
    magnify = max(output[0] / size[0], output[1] / size[1])
    score = _ramp(1 / magnify, RES_NONE, RES_FULL)
    if picture is None:
        return (
            score,
            magnify,
            (
                f"resolution {score:.2f}: the {size[0]:.0f}x{size[1]:.0f} picture must be magnified "
                f"{magnify:.1f}x for the {output[0]}x{output[1]} output; give at least "
                f"{output[0] * RES_FULL:.0f}x{output[1] * RES_FULL:.0f} pixels"
            ),
        )
    # The crop is a share of the picture, so only a bigger picture (or a shallower move) enlarges it.
    grow = magnify * RES_FULL
    return (
        score,
        magnify,
        (
            f"resolution {score:.2f}: the camera path's tightest crop, {size[0]:.0f}x{size[1]:.0f} of the "
            f"{picture[0]}x{picture[1]} picture, must be magnified {magnify:.1f}x for the "
            f"{output[0]}x{output[1]} output; give a picture of at least "
            f"{math.ceil(picture[0] * grow)}x{math.ceil(picture[1] * grow)} pixels, or a gentler move"
        ),
    )


def _gray(image: Image.Image, output: tuple[int, int]) -> np.ndarray:
    side = min(max(min(output), SHARP_SIDE_MIN), SHARP_SIDE_MAX, min(image.size))
    scale = side / min(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return np.asarray(image.convert("L").resize(size, Image.Resampling.LANCZOS), dtype=np.float32)


def _sharpness(gray: np.ndarray) -> tuple[float, float, float, str]:
    """Score, detail (edge crispness) and texture (local contrast) of a grey picture, and the problem."""
    from scipy import ndimage

    if min(gray.shape) < 3:  # a 1-pixel picture ended the batch in numpy's "array too small" ValueError
        side = min(gray.shape)
        return (
            0.0,
            0.0,
            0.0,
            f"sharpness 0.00: the picture is {side} pixel(s) across, too small to judge; use a real photo",
        )
    gy, gx = np.gradient(gray)
    gradient = float(np.abs(gx).mean() + np.abs(gy).mean())
    detail = float(np.abs(ndimage.laplace(gray)).mean()) / max(gradient, 1e-6)
    texture = float((ndimage.gaussian_filter(gray, 1.0) - ndimage.gaussian_filter(gray, 4.0)).std())
    sharp, flat = _ramp(detail, SHARP_NONE, SHARP_FULL), _ramp(texture, FLAT_NONE, FLAT_FULL)
    if flat <= sharp:  # a blank frame (no gradient at all) fails both: say it is flat
        return (
            flat,
            detail,
            texture,
            (
                f"sharpness {flat:.2f}: the picture is flat, with no detail (texture {texture:.2f} of 255; "
                f"photos measure above {FLAT_FULL:g}); use a real photo, not a blank or plain frame"
            ),
        )
    return (
        sharp,
        detail,
        texture,
        (
            f"sharpness {sharp:.2f}: the picture is soft or blurred (detail {detail:.2f}; sharp photos "
            f"measure above {SHARP_FULL:g}); use a sharper or less compressed image"
        ),
    )


def _exposure(rgb: np.ndarray) -> tuple[float, float, float, str]:
    luma = rgb.astype(np.float32) @ _LUMA
    mean, clipped = float(luma.mean()), float((luma >= CLIPPED_LEVEL).mean())
    penalties = {
        "over-exposed": max(_ramp(clipped, CLIPPED_OK, CLIPPED_BAD), _ramp(mean, BRIGHT_OK, BRIGHT_BAD)),
        "under-exposed": _ramp(mean, DARK_OK, DARK_BAD),
    }
    worst = max(penalties, key=lambda k: penalties[k])
    score = 1.0 - penalties[worst]
    return (
        score,
        mean,
        clipped,
        (
            f"exposure {score:.2f}: {worst} (mean brightness {mean:.0f} of 255, {clipped:.0%} of pixels "
            f"clipped to white; well exposed is {DARK_OK:.0f}..{BRIGHT_OK:.0f} with under {CLIPPED_OK:.0%} "
            "clipped)"
        ),
    )


def _aspect(size: tuple[float, float], output: tuple[int, int]) -> tuple[float, float, str]:
    have, want = size[0] / size[1], output[0] / output[1]
    kept = min(have / want, want / have)
    score = _ramp(kept, KEEP_NONE, KEEP_FULL)
    return (
        score,
        kept,
        (
            f"aspect {score:.2f}: the picture is {_ratio(have)}:1 and the output {_ratio(want)}:1, so fitting "
            f"it keeps {_share(kept)} of it; crop it to {_ratio(want)}:1 or give a camera path"
        ),
    )


def _ratio(value: float) -> str:
    """``value`` to two places, or two figures under 0.1: a 1x1000 strip was "0.00:1", as if it had no width."""
    return f"{value:.2f}" if value >= 0.1 else f"{value:.2g}"


def _share(value: float) -> str:
    """``value`` as a percentage, to two figures under 1 % (it "keeps 0% of it" of a picture it cuts to 0.1 %)."""
    return f"{value:.0%}" if value >= 0.01 else f"{value * 100:.2g}%"


def assess_keyframe(
    image: str | Path | Image.Image, output_size: tuple[int, int], *, crop: Rect | None = None
) -> Viability:
    """Score ``image`` as the start of an ``output_size`` clip.

    With ``crop`` (the smallest crop of a camera path) resolution is judged on
    the crop, and aspect fit is the crop's, since the path frames the picture.
    """
    picture = image if isinstance(image, Image.Image) else load_image(image, "image")
    picture = picture.convert("RGB")
    framed = (crop.width, crop.height) if crop is not None else (float(picture.width), float(picture.height))
    rgb = np.asarray(picture)

    res, magnify, res_text = _resolution(framed, output_size, None if crop is None else picture.size)
    sharp, detail, texture, sharp_text = _sharpness(_gray(picture, output_size))
    expo, mean, clipped, expo_text = _exposure(rgb)
    fit, kept, fit_text = _aspect(framed, output_size)
    parts = {"resolution": res, "sharpness": sharp, "exposure": expo, "aspect": fit}
    texts = {"resolution": res_text, "sharpness": sharp_text, "exposure": expo_text, "aspect": fit_text}
    measured = {
        "magnify": magnify,
        "detail": detail,
        "texture": texture,
        "mean_luma": mean,
        "clipped": clipped,
        "kept": kept,
    }
    problems = [texts[k] for k, v in parts.items() if v < 1.0]
    return Viability(min(parts.values()), parts, measured, problems)

"""A clip whose colour strobes at one brightness is flicker, and one frame of another colour a flash.

The checks read mean luma alone: a clip alternating red and green of the same luma passed clean
(flicker 0.01, no flash, temporal SSIM 1.0), so a shoot-out scored it 100 on artefacts.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from reelgen.core import quality
from reelgen.core.shootout.score import artefact_part
from reelgen.core.types import Video

FPS = Fraction(24)


def _tints() -> tuple[np.ndarray, np.ndarray]:
    """A textured picture tinted red, and the same tinted green at the same luma, pixel for pixel."""
    texture = np.random.default_rng(0).integers(0, 60, (64, 64)).astype(np.float64)
    red = np.stack([texture + 150, np.full_like(texture, 40), np.full_like(texture, 40)], axis=-1)
    luma = red @ np.array([0.299, 0.587, 0.114])
    green_level = (luma - 0.299 * 40 - 0.114 * 40) / 0.587
    green = np.stack([np.full_like(texture, 40), green_level, np.full_like(texture, 40)], axis=-1)
    return red, green


def _clip(frames: list[np.ndarray]) -> Video:
    return Video(np.stack(frames).round().clip(0, 255).astype(np.uint8), FPS)


def test_red_and_green_strobing_at_one_brightness_is_flicker() -> None:
    red, green = _tints()
    report = quality.assess(_clip([red if i % 2 == 0 else green for i in range(24)]))
    assert report.metrics["flicker"] > quality.FLICKER_LIMIT
    # A strobe this strong is also a flash on frame after frame, as one in brightness is.
    assert report.problems[-1].startswith("colour flickers from frame to frame (index ")
    assert artefact_part(report.metrics, 24) == 0.0  # was 1.0: the strobe scored as a clean clip


def test_one_frame_of_another_colour_is_a_flash() -> None:
    red, green = _tints()
    frames = [red + i * 0.5 for i in range(24)]  # a slow brightening, so nothing is frozen
    frames[10] = green + 5
    report = quality.assess(_clip(frames))
    assert report.metrics["flash_frames"] == [10]
    assert report.problems == ["frame 10 changes colour sharply from those around it (flash)"]


def test_a_grey_flash_is_still_said_as_brightness() -> None:
    red, _ = _tints()
    frames = [red + i * 0.5 for i in range(24)]
    frames[10] = frames[10] + 90
    report = quality.assess(_clip(frames))
    assert report.problems == ["frame 10 is much brighter or darker than those around it (flash)"]

"""A flat, featureless keyframe scores low on sharpness and is said to be flat; real photos still pass."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from skimage import data

from reelgen.core.viability import DEFAULT_THRESHOLD, assess_keyframe


def _flat(std: float) -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(np.clip(128 + rng.normal(0, std, (512, 512)), 0, 255).astype(np.uint8))


@pytest.mark.parametrize("std", [0.0, 1.4])
def test_flat_grey_picture_fails_as_flat(std: float) -> None:
    report = assess_keyframe(_flat(std), (512, 512))
    assert report.parts["sharpness"] < 0.1
    assert not report.passes(DEFAULT_THRESHOLD)
    (reason,) = [r for r in report.reasons(DEFAULT_THRESHOLD) if r.startswith("sharpness")]
    assert "flat" in reason and "no detail" in reason


def test_real_photos_still_pass() -> None:
    for picture in (data.astronaut(), data.camera(), data.moon()):
        report = assess_keyframe(Image.fromarray(picture), (512, 512))
        assert report.parts["sharpness"] == 1.0, report.problems

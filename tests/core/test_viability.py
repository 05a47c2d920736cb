"""Keyframe viability: blurred, over-exposed, wrong-shape and tiny keyframes are flagged for that reason alone."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFilter
from skimage import data

from reelgen.core.motion import Rect
from reelgen.core.viability import DEFAULT_THRESHOLD, assess_keyframe

OUT = (128, 128)


def photo(name: str = "astronaut") -> Image.Image:
    return Image.fromarray(getattr(data, name)()).convert("RGB")


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea", "rocket"])
def test_a_good_real_photo_passes(name: str) -> None:
    result = assess_keyframe(photo(name), OUT)
    assert result.passes(DEFAULT_THRESHOLD), result.problems
    assert result.parts["sharpness"] == result.parts["exposure"] == result.parts["resolution"] == 1.0


def flagged_for(image: Image.Image, output: tuple[int, int] = OUT) -> list[str]:
    result = assess_keyframe(image, output)
    assert not result.passes(DEFAULT_THRESHOLD)
    return [reason.split(" ", 1)[0] for reason in result.reasons(DEFAULT_THRESHOLD)]


def test_a_blurred_photo_is_flagged_for_sharpness_only() -> None:
    blurred = photo().filter(ImageFilter.GaussianBlur(3))
    assert flagged_for(blurred) == ["sharpness"]
    assert "soft or blurred" in assess_keyframe(blurred, OUT).problems[0]


def test_an_over_exposed_photo_is_flagged_for_exposure_only() -> None:
    bright = Image.fromarray(
        np.clip(np.asarray(photo("chelsea"), dtype=np.float32) * 2.2, 0, 255).astype(np.uint8)
    )
    assert flagged_for(bright) == ["exposure"]
    [reason] = assess_keyframe(bright, OUT).reasons(DEFAULT_THRESHOLD)
    assert "over-exposed" in reason and "clipped to white" in reason


def test_a_dark_photo_is_flagged_as_under_exposed() -> None:
    dark = Image.fromarray((np.asarray(photo("coffee"), dtype=np.float32) * 0.15).astype(np.uint8))
    [reason] = assess_keyframe(dark, OUT).reasons(DEFAULT_THRESHOLD)
    assert reason.startswith("exposure") and "under-exposed" in reason


def test_a_keyframe_of_the_wrong_shape_is_flagged_for_aspect_only() -> None:
    strip = photo("coffee").crop((0, 150, 600, 300))  # a 4:1 strip for a square clip
    assert flagged_for(strip) == ["aspect"]
    assert "keeps 25% of it" in assess_keyframe(strip, OUT).problems[0]


def test_a_camera_path_frames_a_wide_keyframe_so_its_crop_is_judged() -> None:
    strip = photo("coffee").crop((0, 100, 600, 300))
    crop = Rect(x=0, y=0, width=200, height=200)
    result = assess_keyframe(strip, OUT, crop=crop)
    assert result.passes(DEFAULT_THRESHOLD) and result.parts["aspect"] == 1.0


def test_a_thumbnail_for_a_large_clip_is_flagged_for_resolution() -> None:
    small = photo().resize((160, 90))
    assert flagged_for(small, (1280, 720)) == ["resolution"]
    assert "magnified 8.0x" in assess_keyframe(small, (1280, 720)).problems[0]


def test_a_zoom_too_deep_for_its_picture_names_its_crop_and_the_picture_that_would_do() -> None:
    picture = photo().resize((912, 512))
    crop = Rect(x=342, y=192, width=228, height=128)  # a 4x zoom's last frame
    [reason] = assess_keyframe(picture, (1280, 720), crop=crop).reasons(DEFAULT_THRESHOLD)
    assert "the camera path's tightest crop, 228x128 of the 912x512 picture, must be magnified 5.6x" in reason
    assert "give a picture of at least 3848x2160 pixels, or a gentler move" in reason
    # That picture, zoomed as deep (the same share of it), is magnified no more than is free.
    bigger = Rect(x=0, y=0, width=228 * 3848 / 912, height=128 * 2160 / 512)
    assert assess_keyframe(photo().resize((3848, 2160)), (1280, 720), crop=bigger).parts["resolution"] == 1.0

"""An animated WebP given to enhance is called what it is, not a still image."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.enhance.files import enhance_file
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import EnhanceStep

STEPS = [EnhanceStep(name="lanczos", options={"scale": 2})]


def test_an_animated_webp_says_to_convert_it(tmp_path: Path) -> None:
    sticker = tmp_path / "sticker.webp"
    frames = [Image.new("RGB", (32, 24), (20 * k, 90, 160)) for k in range(4)]
    frames[0].save(sticker, save_all=True, append_images=frames[1:], duration=100, loop=0)
    with pytest.raises(InvalidRequest) as refused:
        enhance_file(sticker, tmp_path / "out.mp4", STEPS)
    # It read "sticker.webp is a still image (WEBP), not a video", of a file of four frames.
    assert refused.value.message == (
        f"input: {sticker} is an animated WebP of 4 frames, which FFmpeg cannot decode; convert it to an "
        "MP4 or an animated GIF first (both are read)"
    )
    assert not list(tmp_path.glob("out*"))


def test_a_still_webp_is_still_called_a_still_image(tmp_path: Path) -> None:
    photo = tmp_path / "photo.webp"
    Image.new("RGB", (32, 24)).save(photo)
    with pytest.raises(InvalidRequest, match=r"photo\.webp is a still image \(WEBP\), not a video; "):
        enhance_file(photo, tmp_path / "out.mp4", STEPS)

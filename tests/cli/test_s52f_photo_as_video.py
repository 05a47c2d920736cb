"""A JPEG photo given where a video goes is called a photo: FFmpeg reads a .jpg as an image sequence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import media
from reelgen.core.errors import InvalidRequest


def _photo(path: Path) -> Path:
    pixels = np.random.default_rng(0).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6  # a phone's portrait photo: stored sideways, turned by its EXIF orientation
    Image.fromarray(pixels).save(path, exif=exif)
    return path


def test_enhance_of_a_jpeg_photo_says_it_is_a_photo(tmp_path: Path) -> None:
    # It was "internal error (ValueError: 31 is not a valid Type)": read on as a one-frame video.
    photo = _photo(tmp_path / "phone.jpg")
    result = CliRunner().invoke(app, ["enhance", str(photo), "--upscale", "2", "-o", str(tmp_path / "o.mp4")])
    assert result.exit_code == 2, result.output
    assert f"input: {photo} is a still image (JPEG), not a video" in result.output
    assert "internal error" not in result.output
    assert not (tmp_path / "o.mp4").exists()


def test_a_jpeg_is_no_video_timing(tmp_path: Path) -> None:
    photo = _photo(tmp_path / "still.jpeg")
    with pytest.raises(InvalidRequest, match=r"is a still image \(JPEG\), not a video"):
        media.video_timing(photo, "source_video")

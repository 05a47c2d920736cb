"""``reelgen animate`` given a video, not an image, points to the command that takes one."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import write_video
from reelgen.core.types import Video

runner = CliRunner()


def test_animate_of_a_video_points_to_generate_video(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # It said "IMAGE: clip.mp4 is not a readable image (cannot identify image file ...); valid: BMP, GIF ...".
    monkeypatch.chdir(tmp_path)
    write_video(Video(np.full((3, 32, 48, 3), 90, np.uint8), Fraction(8)), tmp_path / "clip.mp4")
    result = runner.invoke(app, ["animate", "clip.mp4", "it moves", "-m", "wan-i2v-tiny"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert (
        f"IMAGE: {tmp_path / 'clip.mp4'} is not a readable image but a video; animate brings a still image "
        "to life; to make a video from this one, use `reelgen generate PROMPT --video clip.mp4`"
    ) in said, said


def test_animate_of_a_damaged_image_still_says_it_is_not_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.png").write_bytes(b"hello")
    result = runner.invoke(app, ["animate", "x.png", "it moves", "-m", "wan-i2v-tiny"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and "x.png is not a readable image" in said and "--video" not in said, said


def test_an_animated_gif_is_still_an_image_to_animate(tmp_path: Path) -> None:
    from PIL import Image

    from reelgen.core.backends.source_clip import is_clip

    frames = [Image.new("RGB", (32, 32), (i * 40, 0, 0)) for i in range(4)]
    frames[0].save(tmp_path / "moving.gif", save_all=True, append_images=frames[1:], duration=100)
    frames[0].save(tmp_path / "still.png")
    assert not is_clip(str(tmp_path / "moving.gif")) and not is_clip(str(tmp_path / "still.png"))

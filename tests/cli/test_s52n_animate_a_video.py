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

"""What ``reelgen generate --video`` says of a clip too short for the run, and of a damaged file."""

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


def _said(argv: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, ["generate", "x", "-m", "wan-tiny", *argv])
    return result.exit_code, " ".join(result.output.split())


def test_a_one_frame_clip_is_one_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_video(Video(np.full((1, 32, 48, 3), 90, np.uint8), Fraction(8)), tmp_path / "one.mp4")
    code, said = _said(["--video", "one.mp4"])
    assert code == 2 and "one.mp4 lasts 0.12 s (1 frame at 8 fps)" in said, said
    assert not list(tmp_path.glob("*-wan-tiny-*"))


def test_a_damaged_file_named_png_is_not_a_readable_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It read "x.png lasts 0.04 s (1 frames at 25 fps), and 9 frames at 8 fps take 1.12 s of it".
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.png").write_bytes(b"hello")
    code, said = _said(["--video", "x.png"])
    assert code == 2 and "x.png is not a readable video (" in said and "lasts" not in said, said
    assert "give a video file: MP4, MOV, MKV, WebM or an animated GIF" in said

"""`reelgen enhance` refusing a file it cannot read says which files it reads once, naming no command."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _said(result: object) -> str:
    """What the command printed, with the terminal's line wrapping undone."""
    return " ".join(result.output.split())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "problem"),
    [("notes.mp4", "is not a readable video"), ("face.png", "is a still image (PNG), not a video")],
)
def test_a_refused_input_lists_the_kinds_read_once(tmp_path: Path, name: str, problem: str) -> None:
    bad, out = tmp_path / name, tmp_path / "out.mp4"
    if name.endswith(".png"):
        Image.new("RGB", (64, 48), (200, 30, 30)).save(bad)
    else:
        bad.write_text("not a video")
    result = runner.invoke(app, ["enhance", str(bad), "-o", str(out), "--interpolate", "2"])
    said = _said(result)
    assert result.exit_code == 2, said
    assert f"error: input: {bad} {problem}" in said
    assert "; give a video file FFmpeg decodes, with at least one frame: " in said
    # It said "give a video file: MP4, MOV, MKV, WebM or an animated GIF; reelgen enhance reads any
    # video FFmpeg decodes (MP4, MOV, MKV, WebM, AVI ...)": two lists, one after the other.
    assert said.count("MP4") == 1 and said.count("WebM") == 1, said
    assert "MP4, MOV, MKV, WebM, AVI, an animated GIF" in said
    assert "reelgen enhance" not in said  # the core's words: a server's job says them too
    assert list(tmp_path.iterdir()) == [bad]

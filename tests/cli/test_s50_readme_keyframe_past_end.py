"""A keyframe past the clip's end says which frames it may take and how to make room (the README's
`--keyframe 96:end.png:0.8` on a model whose clip is shorter); it said only where the clip ended."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def test_a_keyframe_past_the_end_names_the_frames_it_may_take(tmp_path: Path) -> None:
    end = tmp_path / "end.png"
    Image.new("RGB", (64, 64), (30, 30, 200)).save(end)
    out = tmp_path / "never.mp4"
    args = [
        "generate",
        "a city",
        "-m",
        "ltx-tiny",
        "--frames",
        "9",
        "--keyframe",
        f"96:{end}:0.8",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == (
        "error: --keyframe 96 is past the last frame (8); give a frame from 0 to 8, or make the clip "
        "longer (--frames)"
    )
    assert not out.exists()

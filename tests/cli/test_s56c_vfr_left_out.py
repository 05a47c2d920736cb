"""A variable-rate clip whose frames fall two on one tick says how many are left out, in the note and the record."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _sticker(path: Path, durations: list[int]) -> Path:
    """An animated PNG whose frames last ``durations`` milliseconds (a sticker, a screen capture)."""
    frames = [Image.fromarray(np.full((30, 40, 3), (50 * i, 100, 200 - 40 * i), np.uint8)) for i in range(5)]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return path


def _enhance(source: Path, out: Path) -> str:
    args = ["enhance", str(source), "-o", str(out), "--interpolate", "2", "--interpolator", "flow"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_a_frame_lost_to_the_resampling_is_said(tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    said = _enhance(_sticker(tmp_path / "sticker.png", [100, 100, 500, 50, 70]), out)
    # It said "each frame shows as long as in the source" of a clip one of whose frames was never shown.
    assert (
        "variable frame rate: 5 frames placed by their timestamps at a constant 4.83333 fps (5 frames), so "
        "each frame shows as long as in the source, to within 1/4.83333 s; 1 of them falls on the same tick as "
        "the frame after and is left out"
    ) in said
    assert json.loads(out.with_suffix(".json").read_text())["input"]["variable_rate"]["left_out"] == 1


def test_a_variable_rate_clip_that_loses_no_frame_says_nothing_of_it(tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    said = _enhance(_sticker(tmp_path / "sticker.png", [100, 100, 300, 100, 100]), out)
    assert "left out" not in said
    assert "left_out" not in json.loads(out.with_suffix(".json").read_text())["input"].get(
        "variable_rate", {}
    )

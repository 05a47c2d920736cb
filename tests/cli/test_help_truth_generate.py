"""The ranges `reelgen generate --help` and `reelgen avatar --help` state are the ones enforced."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()
TINY = ["-m", "ltx-tiny", "--frames", "9", "--width", "64", "--height", "64", "--steps", "1", "-q"]


def said(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


def test_help_states_the_interpolate_and_upscale_ranges() -> None:
    shown = said(runner.invoke(app, ["generate", "--help"], env={"COLUMNS": "200"}).output)
    assert "N 2 to 16" in shown
    assert "Upscale by this factor, above 1 and at most 8" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--interpolate", "1"], "--interpolate: 1 is too small"),
        (["--interpolate", "17"], "--interpolate: 17 is too large"),
        (["--upscale", "1"], "--upscale: 1 is too small"),
        (["--upscale", "8.5"], "--upscale: 8.5 is too large"),
    ],
)
def test_a_value_outside_the_stated_range_is_refused_before_any_work(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "clip.mp4"
    result = runner.invoke(app, ["generate", "x", *TINY, *args, "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert message in said(result.output) and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_avatar_max_seconds_defaults_to_the_variable_its_help_names(tmp_path: Path) -> None:
    shown = said(runner.invoke(app, ["avatar", "--help"], env={"COLUMNS": "200"}).output)
    assert "(default: REELGEN_AVATAR_MAX_SECONDS, else 300 s)" in shown
    face = tmp_path / "face.png"
    Image.new("RGB", (64, 64), (200, 150, 120)).save(face)  # the voice is refused before a face is looked for
    argv = ["avatar", "-i", str(face), "-t", "Hello there, nice to meet you.", "-o", str(tmp_path / "a.mp4")]
    result = runner.invoke(app, argv, env={"REELGEN_AVATAR_MAX_SECONDS": "0.5"})
    assert result.exit_code == 2, result.output
    assert "the limit is 0.5 s" in said(result.output)
    assert not (tmp_path / "a.mp4").exists()

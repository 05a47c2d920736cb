"""`reelgen generate --seconds` the model cannot come close to is refused before any model loads."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def test_two_seconds_at_half_a_frame_a_second_names_the_options_to_change(tmp_path: Path) -> None:
    # It rendered a 10 s clip (5 frames at 0.5 fps) for --seconds 2 and said nothing.
    out = tmp_path / "x.mp4"
    asked = ["generate", "-m", "reelgen-micro", "x", "--seconds", "2", "--fps", "0.5", "-o", str(out), "-q"]
    result = runner.invoke(app, asked)
    assert result.exit_code == 2, result.output
    words = said(result.output)
    assert "--seconds: 2 s at 0.5 fps would be 10 s (5 frames)" in words, words
    assert "set the frame rate (--fps) to 2.5 (5 frames) or 4.5 (9 frames)" in words, words
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_hundredth_of_a_second_is_refused(tmp_path: Path) -> None:
    # It rendered 0.417 s (5 frames at 12 fps) for --seconds 0.01.
    result = runner.invoke(app, ["generate", "-m", "reelgen-micro", "x", "--seconds", "0.01", "-q"])
    assert result.exit_code == 2, result.output
    assert "--seconds: 0.01 s at 12 fps would be 0.417 s (5 frames)" in said(result.output)

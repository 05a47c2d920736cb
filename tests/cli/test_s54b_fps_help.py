"""`reelgen generate --help` says --fps and --frames are what the model makes: --interpolate multiplies both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def help_line(flag: str) -> str:
    """The help text of ``flag`` in `reelgen generate --help`, its wrapped lines joined."""
    shown = runner.invoke(app, ["generate", "--help"], env={"COLUMNS": "200"}).output
    rows = [" ".join(row.replace("│", " ").split()) for row in shown.splitlines()]
    start = next(i for i, row in enumerate(rows) if row.startswith(f"{flag} "))
    text = [rows[start]] + [r for r in rows[start + 1 :][:3] if r and not r.startswith("-")]
    return " ".join(text)


def test_fps_and_frames_say_interpolation_changes_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --fps said "Frames per second of the output", yet --fps 12 --interpolate 2 wrote 24 fps.
    monkeypatch.chdir(tmp_path)
    args = ["generate", "a fox", "-m", "wan-tiny", "--fps", "12", "--frames", "5", "--interpolate", "2"]
    result = runner.invoke(app, [*args, "-o", "fox.mp4", "-q"])
    assert result.exit_code == 0, result.output
    written = json.loads((tmp_path / "fox.json").read_text())["output"]
    assert (written["fps"], written["frames"]) == ("24", 9)
    assert "of the output" not in help_line("--fps")
    assert "--interpolate" in help_line("--fps") and "--interpolate" in help_line("--frames")

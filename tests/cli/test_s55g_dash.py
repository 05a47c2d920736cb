"""`reelgen enhance - ...` and `-o -`: a dash is no pipe here, and the refusals say so."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_dash_for_in_is_said_to_be_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["enhance", "-", "-o", "out.mp4", "--interpolate", "2"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    # It said "input: file - does not exist", as if a file named "-" had been looked for.
    assert (
        "error: input: - (standard input) is not read: enhance reads a video file; save it to a file first"
        in said
    )
    assert not (tmp_path / "out.mp4").exists()


def test_a_dash_for_the_output_is_said_to_be_standard_output(tmp_path: Path) -> None:
    source = tmp_path / "in.mp4"
    source.write_bytes(b"")
    result = runner.invoke(app, ["enhance", str(source), "-o", "-", "--interpolate", "2"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    # It said "give a name such as -.mp4".
    assert "-.mp4" not in said
    assert "- (standard output) is not written to; give a file name such as clip.mp4" in said

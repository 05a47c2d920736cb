"""A scene whose '- ' was removed is told to start with '- ': the indentation message told the person
to line its first field up with the previous scene's fields, which made it part of that scene."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

_HEAD = "title: T\nscenes:\n  - id: blue\n    prompt: a blue sky\n    duration: 1\n"


@pytest.mark.parametrize(("line", "column"), [("   id: red", 4), ("  id: red", 3)])
def test_a_scene_missing_its_dash_is_told_to_start_with_one(tmp_path: Path, line: str, column: int) -> None:
    (tmp_path / "project.yaml").write_text(_HEAD + line + "\n    prompt: a red sky\n")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith(f"error: project.yaml line 6, column {column}: `id: red` is indented "), said
    assert said.endswith(
        "this looks like a new scene (a new item of the list): start it with '- ' as `- id: blue` "
        "(line 3) does, indented 2 spaces: `- id: red`"
    ), said
    assert "in line with `duration: 1`" not in said


def test_a_field_one_space_short_is_still_lined_up(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(_HEAD.replace("    duration: 1\n", "   duration: 1\n"))
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    said = " ".join(result.output.split())
    assert "indent it 4 spaces, in line with `prompt: a blue sky` (line 4)" in said, said
    assert "new scene" not in said

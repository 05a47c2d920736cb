"""A scene whose '-' became a space reads as one scene with its first field twice: "'id' is given twice
(first on line 3); keep one" said nothing of the '- ' that starts a new scene."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_scene_whose_dash_became_a_space_is_told_to_start_with_one(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: T\nscenes:\n  - id: blue\n    prompt: a blue sky\n    id: red\n    prompt: a red sky\n"
    )
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said == (
        "error: project.yaml line 5, column 5: 'id' is given twice (first on line 3); keep one, or, if line 5 "
        "starts a new scene (a new item of the list), start it with '- ' as line 3 does"
    ), said


def test_a_top_level_field_given_twice_is_only_told_to_keep_one(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text("title: T\ntitle: U\nscenes:\n  - id: blue\n    prompt: a\n")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    said = " ".join(result.output.split())
    assert said.endswith("'title' is given twice (first on line 1); keep one"), said

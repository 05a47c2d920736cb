"""A folder inside a project (its clips/, exports/ or assets/) given as the project is told which project it
is in: `reelgen project status film/clips` said "no project at film/clips/project.yaml; make one with
`reelgen project new NAME`", sending the person to start a second project among the first one's clips."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize("inner", ["clips", "exports", "assets/music"])
def test_a_folder_inside_a_project_names_the_project(tmp_path: Path, inner: str) -> None:
    film = tmp_path / "film"
    assert runner.invoke(app, ["project", "new", str(film)]).exit_code == 0
    (film / inner).mkdir(parents=True, exist_ok=True)
    result = runner.invoke(app, ["project", "status", str(film / inner)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said == (
        f"error: no project at {film / inner / 'project.yaml'}; {film / inner} is inside the project "
        f"{film}: give that folder"
    ), said
    assert not (film / inner / "project.yaml").exists()


def test_a_folder_outside_any_project_is_still_told_to_make_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2
    assert "make one with `reelgen project new NAME`" in result.output

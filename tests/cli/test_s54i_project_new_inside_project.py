"""`reelgen project new` inside another project: in the folders reelgen keeps for it (clips/, exports/,
windows/) it is refused, elsewhere in it said, where it once quietly made a project there."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize("sub", ["clips", "exports", "clips/more"])
def test_new_in_a_folder_reelgen_keeps_for_a_project_is_refused(tmp_path: Path, sub: str) -> None:
    assert runner.invoke(app, ["project", "new", str(tmp_path / "tiny")]).exit_code == 0
    inner = tmp_path / "tiny" / sub
    result = runner.invoke(app, ["project", "new", str(inner)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith(f"error: name {inner}: ")
    assert f"{tmp_path / 'tiny' / sub.split('/')[0]} holds the clips or films of the project" in said
    assert "pick a folder outside it" in said
    assert not (inner / "project.yaml").exists()


def test_new_elsewhere_inside_a_project_says_so(tmp_path: Path) -> None:
    assert runner.invoke(app, ["project", "new", str(tmp_path / "tiny")]).exit_code == 0
    inner = tmp_path / "tiny" / "assets" / "sub"
    result = runner.invoke(app, ["project", "new", str(inner)])
    assert result.exit_code == 0, result.output
    assert (inner / "project.yaml").is_file()
    said = " ".join(result.output.split())
    assert f"note: {inner} is inside the project {tmp_path / 'tiny'}" in said, said


def test_a_project_yaml_of_another_tool_above_is_no_project(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text("name: my-app\nversion: 1\n")  # not a storyboard
    inner = tmp_path / "exports" / "film"
    result = runner.invoke(app, ["project", "new", str(inner)])
    assert result.exit_code == 0, result.output
    assert (inner / "project.yaml").is_file()
    assert "note:" not in result.output

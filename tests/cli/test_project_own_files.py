"""A folder standing where a project keeps its own file is named, with advice that fits a name no one typed."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.project.folder import new_project


def test_a_folder_named_state_json_is_to_be_moved_not_given_a_path_in(tmp_path: Path) -> None:
    folder = new_project(tmp_path / "film")
    folder.state_file.mkdir()
    result = CliRunner().invoke(app, ["project", "render", str(folder.root)])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    # It advised "give a file path in it", as for an -o the person typed.
    assert f"{folder.state_file} is a folder; reelgen keeps a file of that name there: move or remove" in said
    assert not list(folder.root.glob("clips/*.mp4"))

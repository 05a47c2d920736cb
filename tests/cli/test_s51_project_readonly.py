"""A project folder on a read-only disk: refused before any work, naming the project and the way on."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.fixture
def read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A started project whose folder then takes no new file (as a read-only mount: root ignores chmod)."""
    folder = tmp_path / "film"
    assert runner.invoke(app, ["project", "new", str(folder)]).exit_code == 0
    data = yaml.safe_load((folder / "project.yaml").read_text())
    data["defaults"].update(model="wan-tiny", width=48, height=32, fps=4)
    (folder / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))

    def refused(path: Path) -> Path:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    for module in ("reelgen.core.atomic", "reelgen.core.project.folder"):
        monkeypatch.setattr(f"{module}.new_file_beside", refused, raising=False)
    return folder


def test_a_render_names_the_project_not_a_window_file(read_only: Path) -> None:
    result = runner.invoke(app, ["project", "render", str(read_only), "-q"])
    assert result.exit_code == 2, result.output
    assert f"project {read_only}: cannot write the windows of its scenes in {read_only}" in result.output
    assert "copy the project folder to a place you can write to" in result.output
    assert "window-000" not in result.output and "give a path" not in result.output
    assert not (read_only / "windows").exists()


def test_an_export_to_exports_says_to_give_output(read_only: Path) -> None:
    result = runner.invoke(app, ["project", "export", str(read_only), "-q"])
    assert result.exit_code == 2, result.output
    assert f"project {read_only}: cannot write its film in {read_only / 'exports'}" in result.output
    assert "(--output PATH)" in result.output and "export.output" not in result.output


def test_through_a_server_it_is_said_before_anything_is_sent(read_only: Path) -> None:
    # Port 9 answers nothing: a request sent would be "cannot reach".
    result = runner.invoke(app, ["project", "status", str(read_only), "--server", "http://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "cannot write the id of its project on the server" in result.output
    assert "cannot reach" not in result.output and "give a path" not in result.output

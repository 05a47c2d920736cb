"""A damaged or hand-edited state.json never breaks `reelgen project status`: odd entries only tell less."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.core.project import ProjectFolder


def _project(tmp_path: Path, state: str) -> Path:
    (tmp_path / "project.yaml").write_text("title: x\nscenes:\n  - {id: a, prompt: a dog, duration: 1}\n")
    (tmp_path / "state.json").write_text(state)
    return tmp_path


@pytest.mark.parametrize(
    "state",
    ['{"scenes": 5}', '{"scenes": {"a": 5}}', "{"],
)
def test_status_with_a_damaged_state_file_shows_the_scene_missing(tmp_path: Path, state: str) -> None:
    out = CliRunner().invoke(cli_app, ["project", "status", str(_project(tmp_path, state))])
    assert out.exit_code == 0, out.output
    assert "internal error" not in out.output
    assert out.output.split()[:3] == ["a", "not", "rendered"]


def test_rendered_keys_keeps_the_good_entries_of_a_partly_damaged_state(tmp_path: Path) -> None:
    folder = ProjectFolder.find(_project(tmp_path, '{"scenes": {"a": "k1", "b": 7, "c": {"x": 1}}}'))
    assert folder.rendered_keys() == {"a": "k1"}

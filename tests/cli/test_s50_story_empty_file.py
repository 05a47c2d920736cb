"""An empty project.yaml (or one of comments only) is said to be empty, with what to write in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# title: Night Drive\n# scenes: ...\n"], ids=["empty", "blank", "comments"]
)
def test_an_empty_project_file_is_said_to_be_empty(tmp_path: Path, text: str) -> None:
    (tmp_path / "project.yaml").write_text(text)

    result = runner.invoke(app, ["project", "status", str(tmp_path)])

    assert result.exit_code == 2
    assert " ".join(result.output.split()) == (
        "error: project.yaml is empty; give it a title: and its scenes: (each a prompt or a title_card, and a duration), "
        "as `reelgen project new NAME` writes them"
    )


def test_a_list_is_still_told_it_must_be_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text("- a fox\n- a cat\n")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2 and "project.yaml must be a mapping (title:, scenes: ...)" in result.output

"""`reelgen project new NAME` where NAME (or a folder on its way) is a file: refused, naming NAME."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize("tail", ["", "/sub"])
def test_a_file_in_the_way_is_named_with_what_to_give(tmp_path: Path, tail: str) -> None:
    (tmp_path / "notes").write_text("mine")
    result = runner.invoke(app, ["project", "new", f"{tmp_path / 'notes'}{tail}"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: name {tmp_path / 'notes'}{tail}: {tmp_path / 'notes'} is a file")
    assert "give the name of a new folder" in result.output and "project.yaml" not in result.output
    assert (tmp_path / "notes").read_text() == "mine"

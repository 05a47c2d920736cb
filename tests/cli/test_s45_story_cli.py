"""`reelgen project new|status|render` given folder names no file system takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["new", "status", "render"])
def test_a_folder_name_over_255_bytes_is_told_its_length_not_an_internal_error(
    command: str, tmp_path: Path
) -> None:
    name = tmp_path / ("é" * 150)  # 300 bytes
    result = runner.invoke(app, ["project", command, str(name)])
    assert result.exit_code == 2, result.output
    words = " ".join(result.output.split())
    assert "is 300 bytes long, and a folder or file name may have at most 255; give a shorter one" in words
    assert "internal error" not in words

"""``reelgen avatar --server``: inputs it cannot upload are refused before any server is called."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_a_folder_given_as_the_photo_is_called_a_folder_not_a_missing_file(tmp_path: Path) -> None:
    folder = tmp_path / "faces"
    folder.mkdir()
    # Port 1: nothing listens there, so a call that got that far would fail with exit 1, not 2.
    argv = ["avatar", "--image", str(folder), "--text", "hi", "--server", "http://127.0.0.1:1"]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert said == f"error: --image: {folder} is a folder; give a file"  # as without --server
    assert "no such file" not in said

"""`reelgen enhance --upscaler FOLDER` is told it named a folder."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_folder_as_the_upscaler_is_called_a_folder(tmp_path: Path) -> None:
    # It was "model '/home/me/models' is neither a known model ... nor a checkpoint file".
    folder = tmp_path / "models.pth"
    folder.mkdir()
    source, out = tmp_path / "in.mp4", tmp_path / "out.mp4"
    source.write_bytes(b"not read: the upscaler is refused first")
    result = runner.invoke(
        app, ["enhance", str(source), "-o", str(out), "--upscale", "2", "--upscaler", str(folder)]
    )
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"--upscaler {folder}: {folder} is a folder; give a checkpoint file in it (.pth," in said
    assert not out.exists()

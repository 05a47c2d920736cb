"""`reelgen project export -o FOLDER`: refused with a file name that the export would take."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _said(*args: str) -> str:
    result = runner.invoke(app, ["project", "export", *args, "-q"])
    assert result.exit_code == 2
    return " ".join(result.output.split())


def test_output_the_clips_folder_is_told_a_name_outside_it(tmp_path: Path) -> None:
    """It was told "such as clips/film.mp4", which the export then refused: clips/ keeps the renders."""
    (tmp_path / "project.yaml").write_text("title: x\nscenes:\n  - {title_card: {text: hi}, duration: 1}\n")
    (tmp_path / "clips").mkdir()
    assert _said(str(tmp_path), "-o", str(tmp_path / "clips")) == (
        f"error: --output: {tmp_path / 'clips'} is a folder the project keeps its scenes' renders in; give a "
        f"file name elsewhere (such as {tmp_path / 'exports' / 'film.mp4'})"
    )
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert _said(str(tmp_path), "-o", str(other)) == (
        f"error: --output: {other} is a folder; give a file name in it (such as {other / 'film.mp4'})"
    )

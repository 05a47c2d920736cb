"""`reelgen project status` keeps its windows column in line when a model's name is longer than most."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_a_long_model_name_keeps_the_windows_column_in_line(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: Cols\nscenes:\n"
        "  - {id: a, prompt: a boat, duration: 4.0}\n"
        "  - {id: b, prompt: a ship, duration: 8.0, model: skyreels-v2-df-14b-720p}\n"
    )
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [
        "a  not rendered    4.0s  reelgen-micro           windows 0/2",
        "b  not rendered    8.0s  skyreels-v2-df-14b-720p windows 0/2",
    ]

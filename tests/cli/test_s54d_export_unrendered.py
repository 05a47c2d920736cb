"""`reelgen project export FOLDER` before its scenes are rendered names the command that renders that
folder: "render them first (`reelgen project render`, or POST /v1/projects/{id}/render)" sent the person
to render the folder they stood in, beside an HTTP route with a literal {id}."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_export_before_render_names_the_render_of_that_folder(tmp_path: Path) -> None:
    film = tmp_path / "my film"
    film.mkdir()
    (film / "project.yaml").write_text(
        "title: F\nscenes:\n  - {id: a, prompt: a boat, duration: 1.0}\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["project", "export", str(film)])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        f"error: scene 'a' (scenes[0]) is not rendered as it now reads (never rendered); render it first "
        f"(`reelgen project render '{film}'`)"
    )
    assert not (film / "exports").exists() or not any((film / "exports").iterdir())

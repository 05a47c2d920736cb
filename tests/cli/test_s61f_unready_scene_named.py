"""`reelgen project export` with one scene unrendered names it as every other message names a scene,
``scene 'b' (scenes[1])``: it said ``scene b``, unquoted and with no place in the file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_the_one_scene_not_rendered_is_named_with_its_place(tmp_path: Path) -> None:
    film = tmp_path / "film"
    film.mkdir()
    (film / "project.yaml").write_text(
        "title: F\nscenes:\n  - {id: a, title_card: {text: Hi}, duration: 1.0}\n"
        "  - {id: b, prompt: a boat, duration: 1.0}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["project", "export", str(film)])
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == (
        f"error: scene 'b' (scenes[1]) is not rendered as it now reads (never rendered); render it first "
        f"(`reelgen project render {film}`)"
    )

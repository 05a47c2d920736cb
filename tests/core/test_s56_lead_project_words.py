"""Storyboard words a person meets: a title card's id given to render, and a YAML alias with no anchor."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

PROJECT = """title: demo
defaults:
  model: ltx-tiny
  seed: SEED
scenes:
  - id: opening
    title_card: {text: demo}
    duration: 2.0
  - id: first-shot
    prompt: a red circle moves to the right
    duration: 2.0
"""


def _project(tmp_path: Path, seed: str = "7") -> Path:
    folder = tmp_path / "film"
    folder.mkdir()
    (folder / "project.yaml").write_text(PROJECT.replace("SEED", seed))
    return folder


def test_a_title_cards_id_in_other_capitals_is_said_to_be_a_card(tmp_path: Path) -> None:
    # `-s OPENING` said "no scene 'OPENING' in the project; scenes to render: first-shot" and left the
    # person wondering where the scene went; the card is named as what it is.
    result = runner.invoke(app, ["project", "render", str(_project(tmp_path)), "-s", "OPENING"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert (
        "no scene 'OPENING' in the project; 'opening' is a title card, drawn at export, never rendered"
        in said
    )
    assert "scenes to render: first-shot" in said


def test_a_typo_of_a_rendered_scene_still_gets_did_you_mean(tmp_path: Path) -> None:
    result = runner.invoke(app, ["project", "render", str(_project(tmp_path)), "-s", "first-shoot"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "did you mean first-shot?" in said and "title card" not in said


def test_an_alias_with_no_anchor_says_what_a_star_does(tmp_path: Path) -> None:
    # PyYAML's "found undefined alias 'x'" alone: the person wrote `seed: *x` and meant a value.
    result = runner.invoke(app, ["project", "status", str(_project(tmp_path, seed="*x"))])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "line 4, column 9: found undefined alias 'x'" in said
    assert "a value starting with * repeats one marked &name earlier in the file" in said
    assert "put the value in quotes" in said

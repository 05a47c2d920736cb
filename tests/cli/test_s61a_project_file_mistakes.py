"""Mistakes in a project file's field names, as ``reelgen project status`` says them: a misspelt top-level
field ends with its line, as a misspelt scene field does, and a field name YAML reads as a number, a
boolean or null (``3:``, ``true:``, ``null:``) is an unknown field naming the known ones, where it was
pydantic's "[3]: Keys should be strings" (``None: ...`` for ``null:``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

SCENES = "scenes:\n  - prompt: a red circle\n    duration: 1\n"
SCENE_FIELDS = (
    "known: id, prompt, negative_prompt, duration, model, start_image, end_image, keyframes, "
    "reference_images, seed, steps, guidance, loras, options, enhance, windows, title_card, transition"
)
TOP_FIELDS = "known: title, defaults, reference_images, scenes, soundtrack, export"


def _status(tmp_path: Path, text: str) -> str:
    (tmp_path / "project.yaml").write_text(text)
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def test_a_misspelt_top_level_field_ends_with_its_line(tmp_path: Path) -> None:
    said = _status(tmp_path, "title: x\nscenez:\n  - prompt: a\n    duration: 1\n")
    assert said == "error: scenez is not a known field; did you mean scenes? (project.yaml line 2)"


@pytest.mark.parametrize(
    ("key", "name", "reads"),
    [("3", "3", "a number"), ("true", "true", "a boolean"), ("null", "null", "null, no name")],
)
def test_a_scene_field_name_that_is_no_text_is_an_unknown_field(
    tmp_path: Path, key: str, name: str, reads: str
) -> None:
    said = _status(tmp_path, f"title: x\n{SCENES}    {key}: 3\n")
    assert said == (
        f"error: scene 'scene-1' (scenes[0]): {name} is not a known field (YAML reads it as {reads}); "
        f"{SCENE_FIELDS} (project.yaml line 5)"
    )


def test_a_top_level_field_name_that_is_null_is_an_unknown_field(tmp_path: Path) -> None:
    said = _status(tmp_path, f"title: x\nnull: 1\n{SCENES}")
    assert said == (
        f"error: null is not a known field (YAML reads it as null, no name); {TOP_FIELDS} (project.yaml line 2)"
    )

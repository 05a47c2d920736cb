"""A wrong value in project.yaml names the line it is on, as a YAML syntax error does: a person with a
long storyboard was told ``scenes[31].duration`` and left to count list items to find it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

#: Lines:      1         2         3          4                5          6                  7
HEAD = (
    "title: T\ndefaults:\n  model: reelgen-micro\n  seed: 3\nscenes:\n  - id: a\n    prompt: a red circle\n"
)


def _status(folder: Path, text: str) -> str:
    (folder / "project.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(folder)])
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


@pytest.mark.parametrize(
    ("tail", "start", "line"),
    [
        # a value out of range, on the scene's line 9
        (
            "    duration: 1\n  - id: b\n    duration: -3\n    prompt: x\n",
            "error: scene 'b' (scenes[1]): duration: -3 is too small",
            10,
        ),
        # a field no scene takes
        (
            "    duration: 1\n    colour: red\n",
            "error: scene 'a' (scenes[0]): colour is not a known field",
            9,
        ),
        # a required field left out: the scene's first line
        ("    seed: 2\n", "error: scene 'a' (scenes[0]): duration is required", 6),
        # an export setting
        (
            "    duration: 1\nexport:\n  container: mp5\n",
            "error: export.container: 'mp5' is not a choice",
            10,
        ),
    ],
)
def test_a_field_error_ends_with_the_line_it_is_on(tmp_path: Path, tail: str, start: str, line: int) -> None:
    said = _status(tmp_path, HEAD + tail)
    assert said.startswith(start), said  # the words before are as they were
    assert said.endswith(f"(project.yaml line {line})"), said


def test_an_unknown_model_names_its_line_and_the_models_there_are(tmp_path: Path) -> None:
    said = _status(tmp_path, HEAD.replace("model: reelgen-micro", "model: nonsense") + "    duration: 1\n")
    assert said.startswith("error: defaults.model: unknown model 'nonsense'")
    assert "reelgen-micro" in said  # the valid names, as `reelgen generate -m nonsense` lists them
    assert said.endswith("(project.yaml line 3)"), said


def test_a_bad_fps_names_its_line(tmp_path: Path) -> None:
    said = _status(tmp_path, HEAD.replace("  seed: 3\n", "  seed: 3\n  fps: 0\n") + "    duration: 1\n")
    assert said.startswith("error: defaults.fps: 0 is too small"), said
    assert said.endswith("(project.yaml line 5)"), said


def test_a_missing_start_image_names_the_line_of_its_field(tmp_path: Path) -> None:
    said = _status(tmp_path, HEAD + "    duration: 1\n    start_image: assets/nope.png\n")
    assert said.startswith("error: scene 'a' (scenes[0]): start_image:"), said
    assert "nope.png" in said
    assert said.endswith("(project.yaml line 9)"), said


def test_a_storyboard_under_another_name_is_named_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "cut.yaml").write_text(HEAD + "    duration: 1\n    steps: 0\n", encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path / "cut.yaml")])
    assert result.exit_code == 2
    assert result.output.strip().endswith("(cut.yaml line 9)"), result.output


def test_a_syntax_error_keeps_its_own_line_and_no_second_one(tmp_path: Path) -> None:
    said = _status(tmp_path, HEAD + "    duration: 1\n   seed: 2\n")
    assert said.startswith("error: project.yaml line 9, column 4:"), said
    assert "(project.yaml line" not in said

"""A list item whose '- ' was lost, so its first field is given twice, is told it may start a new item of its
own list: a keyframe so joined was told "if line 9 starts a new scene", of a list holding no scenes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

SCENE = "title: T\nscenes:\n  - id: a\n    prompt: x\n    duration: 1\n"


def _said(folder: Path, text: str) -> str:
    (folder / "project.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(folder)])
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def test_a_keyframe_given_twice_is_told_of_the_keyframes_list(tmp_path: Path) -> None:
    said = _said(
        tmp_path,
        SCENE
        + "    keyframes:\n      - frame: 0\n        image: a.png\n        frame: 5\n        image: b.png\n",
    )
    assert said == (
        "error: project.yaml line 9, column 9: 'frame' is given twice (first on line 7); keep one, or, if "
        "line 9 starts a new item of the keyframes list, start it with '- ' as line 7 does"
    )


def test_a_scene_given_twice_is_still_told_of_a_new_scene(tmp_path: Path) -> None:
    said = _said(tmp_path, SCENE + "    id: b\n")
    assert said.endswith(
        "if line 6 starts a new scene (a new item of the list), start it with '- ' as line 3 does"
    )

"""An item whose '- ' was left out is told it looks like a new item of its own list: a keyframe or an export
text missing its dash was told "this looks like a new scene", of a list that holds no scenes."""

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


def test_a_keyframe_missing_its_dash_is_told_of_the_keyframes_list(tmp_path: Path) -> None:
    said = _said(
        tmp_path,
        SCENE
        + "    keyframes:\n      - frame: 0\n        image: a.png\n       frame: 5\n        image: b.png\n",
    )
    assert said.startswith("error: project.yaml line 9, column 8: `frame: 5` is indented 7 spaces"), said
    assert "new scene" not in said
    assert said.endswith(
        "this looks like a new item of the keyframes list: start it with '- ' as `- frame: 0` (line 7) "
        "does, indented 6 spaces: `- frame: 5`"
    ), said


def test_an_export_text_missing_its_dash_is_told_of_the_texts_list(tmp_path: Path) -> None:
    said = _said(
        tmp_path,
        SCENE + "export:\n  texts:\n    - text: hello\n      start: 0\n     text: bye\n      start: 1\n",
    )
    assert "new scene" not in said
    assert (
        "this looks like a new item of the texts list: start it with '- ' as `- text: hello` (line 8)" in said
    )


def test_a_scene_missing_its_dash_is_still_told_it_is_a_new_scene(tmp_path: Path) -> None:
    said = _said(tmp_path, SCENE + "   id: b\n    prompt: y\n")
    assert "this looks like a new scene (a new item of the list): start it with '- '" in said, said

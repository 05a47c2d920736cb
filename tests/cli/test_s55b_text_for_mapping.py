"""A field that takes ``key: value`` lines given one word or name (``title_card: Hello``, ``soundtrack:
music.mp3``) is told how to write it, as ``transition: fade`` is: "should be a mapping of fields (key:
value), not 'Hello'" named no field to put it under."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _words(output: str) -> str:
    """The error line, less the line of the file it may end with: these tests are of the advice before it."""
    return re.sub(r" \(project\.yaml line \d+\)$", "", " ".join(output.split()))


SCENE = "title: T\nscenes:\n  - prompt: x\n    duration: 1\n"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "title: T\nscenes:\n  - title_card: Hello there\n    duration: 1\n",
            "error: scene 'scene-1' (scenes[0]): title_card: should be a mapping of fields (key: value), "
            "not 'Hello there'; write it as {text: Hello there}",
        ),
        (
            SCENE + "soundtrack: assets/music.mp3\n",
            "error: soundtrack: should be a mapping of fields (key: value), not 'assets/music.mp3'; "
            "write it as {file: assets/music.mp3}",
        ),
        (
            SCENE + "export:\n  watermark: logo.png\n",
            "error: export.watermark: should be a mapping of fields (key: value), not 'logo.png'; "
            "write it as {image: logo.png}",
        ),
        (
            SCENE + "    loras:\n      - my.safetensors\n",
            "error: scene 'scene-1' (scenes[0]): loras[0]: should be a mapping of fields (key: value), "
            "not 'my.safetensors'; write it as {path: my.safetensors}",
        ),
        (
            SCENE + "    enhance:\n      - upscale\n",
            "error: scene 'scene-1' (scenes[0]): enhance[0]: should be a mapping of fields (key: value), "
            "not 'upscale'; write it as {name: upscale}",
        ),
        (
            SCENE + "    keyframes:\n      - a.png\n",
            "error: scene 'scene-1' (scenes[0]): keyframes[0]: should be a mapping of fields (key: value), "
            "not 'a.png'; write it as {image: a.png, frame: N} (N: the frame of the scene it pins)",
        ),
        (
            "title: T\nscenes:\n  - title_card: 'Act one: the sea'\n    duration: 1\n",
            "error: scene 'scene-1' (scenes[0]): title_card: should be a mapping of fields (key: value), "
            "not 'Act one: the sea'; write it as {text: \"Act one: the sea\"}",
        ),
    ],
)
def test_a_word_for_a_mapping_is_told_how_to_write_it(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "project.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert _words(result.output) == said


def test_a_number_for_a_mapping_is_not_told_to_be_a_field(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(SCENE.replace("duration: 1\n", "duration: 1\n    windows: 3\n"))
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2
    assert _words(result.output).endswith("windows: should be a mapping of fields (key: value), not 3")

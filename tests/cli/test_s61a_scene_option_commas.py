"""``reelgen project render -s dawn,dusk`` says to give each scene with its own ``-s``: a scene id holds
no ',', and it said "no scene 'dawn,dusk' in the project; did you mean dusk?", as if one were misspelt."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

PROJECT = """title: Two
defaults: {model: wan-tiny, width: 48, height: 32, fps: 8}
scenes:
  - {id: dawn, prompt: a fox at dawn, duration: 1}
  - {id: dusk, prompt: a fox at dusk, duration: 1}
"""


def test_scenes_joined_by_a_comma_are_told_to_be_given_one_each(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT)
    result = runner.invoke(app, ["project", "render", str(tmp_path), "-s", "dawn, dusk"])
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == (
        "error: --scene: 'dawn, dusk' holds a ',', which no scene id does; give each scene with its own "
        "--scene: -s dawn -s dusk"
    )
    assert not (tmp_path / "clips").exists() or not list((tmp_path / "clips").iterdir())

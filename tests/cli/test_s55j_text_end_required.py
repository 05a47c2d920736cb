"""A text over the film given without its `end`: the refusal says what `end` is, not only that it is required."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

PROJECT = """title: T
defaults: {model: wan-tiny, width: 48, height: 32, fps: 8}
scenes:
  - id: opening
    title_card: {text: Hello}
    duration: 1
export:
  texts:
    - text: Hi
      start: 0
"""


def test_a_text_without_end_says_end_is_the_second_it_disappears(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT)
    result = runner.invoke(app, ["project", "export", str(tmp_path)])
    # It said "export.texts[0].end is required (project.yaml line 9)": end of what, in which unit?
    assert result.exit_code == 2, result.output
    assert result.output == (
        "error: export.texts[0].end is required: the second of the film at which the text disappears, "
        "such as end: 3.0 (project.yaml line 9)\n"
    )
    assert not list(tmp_path.glob("*.mp4"))

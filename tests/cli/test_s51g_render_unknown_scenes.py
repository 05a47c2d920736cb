"""``reelgen project render -s nope -s nah`` says "no scene 'nope' or 'nah'": it said "no scene 'nope',
'nah'", which reads as one scene named both; one typed twice is said once (with its near match)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app as cli_app

PROJECT = """\
title: two shots
scenes:
  - {id: first-shot, prompt: a red circle, duration: 1}
  - {id: second-shot, prompt: a blue circle, duration: 1}
"""


def _render(folder: Path, *scenes: str) -> str:
    args = [a for s in scenes for a in ("-s", s)]
    out = CliRunner().invoke(cli_app, ["project", "render", str(folder), "-q", *args])
    assert out.exit_code == 2, out.output
    return " ".join(out.output.split())


def test_two_unknown_scenes_are_said_as_either_one(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT)
    assert _render(tmp_path, "nope", "nah") == (
        "error: no scene 'nope' or 'nah' in the project; scenes to render: first-shot, second-shot"
    )
    assert _render(tmp_path, "a", "first-shot", "b", "c").startswith("error: no scene 'a', 'b' or 'c' in ")
    assert _render(tmp_path, "frist-shot", "frist-shot") == (
        "error: no scene 'frist-shot' in the project; did you mean first-shot? "
        "scenes to render: first-shot, second-shot"
    )
    assert not (tmp_path / "clips").exists()

"""A prompts file's image that is missing, a folder or no picture is refused naming the prompts file, as its other errors are."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _said(result: object) -> str:
    return " ".join(result.output.replace("│", " ").split())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (None, "does not exist"),
        ("folder", "is a folder; give an image file"),
        ("text", "prompts[0].image"),
    ],
)
def test_a_prompts_image_problem_names_the_prompts_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: str | None, words: str
) -> None:
    # It said "prompts[0].image: /abs/missing.png does not exist", leaving the person to guess which file
    # held prompts[0], where every other problem of it began "prompts file p.yaml: ...".
    monkeypatch.chdir(tmp_path)
    if make == "folder":
        (tmp_path / "missing.png").mkdir()
    elif make == "text":
        (tmp_path / "missing.png").write_text("not a picture")
    Path("p.yaml").write_text("prompts:\n  - prompt: waves\n    image: missing.png\n")
    result = runner.invoke(app, ["shootout", "-m", "ltx-tiny", "-p", "p.yaml", "-o", "cmp"])
    assert result.exit_code == 2, result.output
    said = _said(result)
    assert said.startswith("error: prompts file p.yaml: prompts[0].image: "), said
    assert words in said, said
    assert not (tmp_path / "cmp").exists()

"""A shoot-out given no prompts (no --prompts, or a prompts file without any) says that a prompt is needed
and how to give one, not click's bare "Missing option" or pydantic's "Input should be a valid list"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _said(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["shootout", *args])
    return result.exit_code, " ".join(result.output.split())


def test_no_prompts_option_says_what_a_prompts_file_is() -> None:
    code, said = _said("-m", "reelgen-micro")
    assert code == 2, said
    assert said.startswith(
        "error: Missing option '--prompts' / '-p'. A shoot-out runs each model on each prompt: give a YAML "
        "file of prompts, or a .txt file with one prompt a line, e.g. -p prompts.txt"
    ), said


def test_no_models_option_says_how_to_name_them() -> None:
    code, said = _said("-p", "prompts.txt")
    assert code == 2, said
    assert said.startswith(
        "error: Missing option '--models' / '-m'. Give the models to compare, e.g. -m ltx-tiny,reelgen-micro "
        "(`reelgen models` lists them)"
    ), said


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("prompts:\n", "prompts: there are none; give at least one"),
        ("settings: {steps: 4}\n", "has no prompts: add a prompts: list"),
        (
            "prompts: a red fox\n",
            "prompts: 'a red fox' is one text, not a list; write each prompt on a line of its own",
        ),
    ],
)
def test_a_prompts_file_without_a_list_of_prompts_says_how_to_write_one(
    tmp_path: Path, text: str, words: str
) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text(text)
    code, said = _said("-m", "reelgen-micro", "-p", str(prompts), "-o", str(tmp_path / "out"))
    assert code == 2, said
    assert said.startswith(f"error: prompts file {prompts}"), said
    assert words in said, said
    assert "Input should be" not in said and "is required" not in said
    assert not (tmp_path / "out").exists()

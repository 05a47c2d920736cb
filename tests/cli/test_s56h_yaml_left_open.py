"""A project, prompts or defaults YAML file with a [, { or quote left open said PyYAML's own words on the
command line ("expected the node content, but found '<stream end>'"); it now says what is open and where,
as the web page does, keeping the line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()

_HEAD = "title: T\nscenes:\n  - id: a\n    prompt: a red ball\n"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            _HEAD + "    duration: [\n",
            "line 6, column 1: the file ends where a value should follow (is a [ or { left open, or a quote?)",
        ),
        (
            _HEAD + "    tags: [a, b\n",
            "line 6, column 1: the file ends inside the list opened with '[' on line 5, column 11; "
            "close it with ']'",
        ),
        (
            _HEAD + "    transition: {type: fade\n",
            "line 6, column 1: the file ends inside the mapping opened with '{' on line 5, column 17; "
            "close it with '}'",
        ),
        (
            'title: T\nscenes:\n  - id: a\n    prompt: "a red ball\n    duration: 1\n',
            "line 6, column 1: the file ends inside the text quoted with '\"' on line 4, column 13; "
            "close it with another '\"'",
        ),
        (
            "title: T\nscenes: [a, b\nexport: {}\n",
            "line 3, column 7: expected ',' or ']' but found ':', inside the list opened with '[' on line 2, "
            "column 9; is its ']' missing? (text holding ',' or ']' must be quoted)",
        ),
        (
            _HEAD + "    duration: [1]]\n",
            "line 5, column 18: a ']' with no '[' open before it to close; remove it (or quote the value, "
            "if it is text)",
        ),
    ],
)
def test_a_bracket_or_quote_left_open_is_said_in_words(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "project.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.output == f"error: project.yaml {said}\n"


def test_a_prompts_file_left_open_is_said_in_words(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts:\n  - 'a red fox\n")
    result = runner.invoke(app, ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-o", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    assert result.output == (
        f'error: prompts file {prompts} line 3, column 1: the file ends inside the text quoted with "\'" '
        'on line 2, column 5; close it with another "\'"\n'
    )

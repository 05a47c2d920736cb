"""A flag's help line shows no value after it: `--quiet, -q` takes none, so no `<bool>` there.

Typer 0.29 printed `--json <bool>`, `--quiet -q <bool>`, even `--help <bool>`, as if each took true or
false; `reelgen models --json true` was then refused as an extra argument.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _line(page: str, option: str) -> str:
    """The help table row that starts with ``option`` (its names and type column, before the help text)."""
    row = next(line for line in page.splitlines() if re.match(rf"^│\s+(\*\s+)?{re.escape(option)}\b", line))
    return row


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        (["models"], "--json"),
        (["generate"], "--quiet"),
        (["generate"], "--no-audio"),
        (["generate"], "--help"),
        (["project", "render"], "--force"),
        (["manifest", "create"], "--force"),
        (["enhance"], "--json"),
        ([], "--help"),
    ],
)
def test_a_flag_shows_no_value_type(command: list[str], flag: str) -> None:
    result = runner.invoke(app, [*command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    row = _line(result.stdout, flag)
    assert "<bool>" not in row, row
    assert "bool" not in result.stdout  # not on any row of the page


def test_options_that_take_a_value_keep_their_type() -> None:
    page = runner.invoke(app, ["generate", "--help"], terminal_width=100).stdout
    assert "<int>" in _line(page, "--frames")
    assert "<float>" in _line(page, "--seconds")
    assert "<path>" in _line(page, "--output")
    top = runner.invoke(app, ["--help"], terminal_width=100).stdout
    assert "[SHELL]" in _line(top, "--install-completion")

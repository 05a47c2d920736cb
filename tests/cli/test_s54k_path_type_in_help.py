"""A path argument's type reads ``<path>`` in every command's help, ``reelgen replay`` as ``reelgen project export``."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def argument_type(args: list[str], name: str) -> str:
    """The type column of argument ``name`` in the help's Arguments panel."""
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    found = re.search(rf"│\s*\*?\s+{name}\s+(<\w+>)", result.output)
    assert found, result.output
    return found.group(1)


def test_replay_shows_its_path_argument_as_a_path_like_other_commands() -> None:
    # 42da5871 gave replay's argument a parser, and typer then showed the class name: <Path>.
    assert argument_type(["project", "export"], "project") == "<path>"
    assert argument_type(["replay"], "path") == argument_type(["project", "export"], "project")

"""A mistyped command line is one line, ``error: ...``, naming the help to read; exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["generate", "a fox", "--frames", "abc"],
            "error: Invalid value for '--frames': Input should be a valid integer, unable to parse string "
            "as an integer (see 'reelgen generate --help')",
        ),
        (
            ["generat", "a fox"],
            "error: No such command 'generat'. Did you mean 'generate'? (see 'reelgen --help')",
        ),
        (["project", "new"], "error: Missing argument 'name'. (see 'reelgen project new --help')"),
        (
            ["generate", "a fox", "--count", "0"],
            "error: Invalid value for '--count': 0 is not from 1 to 100; give how many takes to make "
            "(see 'reelgen generate --help')",
        ),
    ],
)
def test_a_usage_error_is_one_line_that_names_the_help(args: list[str], line: str) -> None:
    # It was drawn in a box of wrapped rich text under the usage line: five or six lines for one mistake.
    result = runner.invoke(app, args, prog_name="reelgen")
    assert result.exit_code == 2
    assert result.output.splitlines() == [line]


def test_the_installed_command_says_it_the_same_way_and_a_bare_group_still_shows_its_help() -> None:
    cli = [sys.executable, "-c", "from reelgen.cli import main; main()"]
    bad = subprocess.run([*cli, "generate", "a fox", "--bogus"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.splitlines()[-1].startswith("error: No such option: --bogus")
    assert "Traceback" not in bad.stderr
    bare = subprocess.run([*cli, "project"], capture_output=True, text=True, timeout=120)
    assert bare.returncode == 2 and "Usage:" in bare.stdout and "render" in bare.stdout
    assert "error:" not in bare.stderr

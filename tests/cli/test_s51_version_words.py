"""`reelgen --version` (or `version`) says the version and that `reelgen info` shows it; it said only
"No such option: --version"."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


@pytest.mark.parametrize(("typed", "named"), [("--version", "--version"), ("version", "command 'version'")])
def test_asking_for_the_version_says_it(typed: str, named: str) -> None:
    result = CliRunner().invoke(app, [typed])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"error: reelgen has no {named}; this is reelgen {version('reelgen')}; `reelgen info` shows it with "
        "torch's version and the GPUs (see 'reelgen --help')\n"
    )


def test_a_commands_own_unknown_option_is_said_as_before() -> None:
    result = CliRunner().invoke(app, ["models", "--version"])
    assert result.exit_code == 2 and "No such option: --version" in result.stderr

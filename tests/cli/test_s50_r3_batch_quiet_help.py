"""``reelgen batch --help`` and ``reelgen shootout --help`` say what ``-q`` leaves out, as the other commands do."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app


@pytest.mark.parametrize("command", ["batch", "shootout"])
def test_quiet_help_says_step_lines_go_and_warnings_stay(command: str) -> None:
    out = CliRunner().invoke(cli_app, [command, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert out.exit_code == 0, out.output
    said = " ".join(out.output.split())
    assert "No progress bar or step lines; warnings still print." in said

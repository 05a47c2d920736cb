"""`reelgen train-micro` with no step is a usage error (exit 2, saying which steps there are), not a success.

It printed its help and exited 0, so `reelgen train-micro && reelgen train-micro export ...` went on as if a
model had been trained; `reelgen project` without a subcommand exits 2.
"""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_no_step_shows_the_page_and_exits_2_naming_the_steps() -> None:
    result = runner.invoke(app, ["train-micro"])
    assert result.exit_code == 2, result.output
    assert "Usage: reelgen train-micro" in result.stdout
    assert (
        result.stderr.strip()
        == "error: give a step: train, export or evaluate (STEP --help lists its options)"
    )


def test_help_itself_still_exits_0() -> None:
    for argv in (["train-micro", "--help"], ["train-micro", "-h"]):
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, result.output
        assert "Usage: reelgen train-micro" in result.stdout and not result.stderr

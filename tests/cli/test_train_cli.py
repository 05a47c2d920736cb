"""`reelgen train-micro` as a person uses it: its own help, and each step's options behind STEP --help."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_help_before_a_step_is_the_commands_page_with_examples() -> None:
    result = runner.invoke(app, ["train-micro", "--help"])
    assert result.exit_code == 0, result.output
    assert "Examples" in result.output and "reelgen train-micro train --out runs/micro" in result.output


def test_help_after_a_step_lists_that_steps_options() -> None:
    for step, option in (("train", "--vae-seconds"), ("export", "--checkpoint"), ("evaluate", "--prompts")):
        result = runner.invoke(app, ["train-micro", step, "--help"])
        assert result.exit_code == 0, result.output
        assert option in result.output, step

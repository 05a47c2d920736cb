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


def test_every_option_of_every_step_says_what_it_does_under_the_command_typed() -> None:
    for step in ("train", "export", "evaluate"):
        result = runner.invoke(app, ["train-micro", step, "--help"])
        assert result.output.startswith(f"usage: reelgen train-micro {step}"), result.output[:80]
        options = result.output.split("options:", 1)[1]
        # argparse puts an option's help on its line or the next; an option with none stands alone.
        lines = [line.strip() for line in options.splitlines() if line.strip()]
        bare = [
            line
            for line, after in zip(lines, [*lines[1:], "--end"], strict=True)
            if line.startswith("--") and " " * 2 not in line and after.startswith("-")
        ]
        assert bare == [], (step, bare)


def test_a_number_out_of_range_names_the_option_and_what_it_takes() -> None:
    for argv, message in (
        (["train", "--out", "runs/x", "--seconds", "-1"], "argument --seconds: '-1' must be above 0"),
        (
            ["train", "--out", "runs/x", "--size", "100"],
            "--size: '100' must be at least 32 and at most 512, a multiple",
        ),
        (
            ["train", "--out", "runs/x", "--frames", "24"],
            "--frames: '24' must be at least 5 and at most 129, 4k+1",
        ),
        (
            ["train", "--out", "runs/x", "--i2v-share", "nan"],
            "--i2v-share: 'nan' must be at least 0 and at most 1",
        ),
        (["evaluate", "--out", "e.json", "--prompts", "0"], "argument --prompts: '0' must be at least 1"),
    ):
        result = runner.invoke(app, ["train-micro", *argv])
        assert result.exit_code == 2, (argv, result.output)
        assert message in " ".join(result.output.split()), (argv, result.output)

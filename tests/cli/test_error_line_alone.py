"""An error in a log is its own line: no empty line from a progress bar that never showed a step."""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.skipif(sys.platform != "linux", reason="/proc takes no new files on Linux only")
def test_an_error_before_the_first_step_comes_without_a_blank_line() -> None:
    # Not a terminal here, as in a log: a bar started with no task ended with an empty line.
    result = runner.invoke(app, ["generate", "a fox", "-m", "reelgen-micro", "-o", "/proc/reelgen-fox.mp4"])
    assert result.exit_code != 0, result.output
    said = result.stderr.splitlines()
    assert said[-1].startswith("error: --output /proc/reelgen-fox.mp4: cannot write into /proc"), said
    assert "" not in said, said


@pytest.mark.parametrize(
    "args",
    [
        ["generate", "x", "-m", "wan-tiny", "-o", "take[/]one.txt"],
        ["replay", "nope[/].mp4"],
        ["enhance", "[bold]w.mp4", "--upscale", "2"],
    ],
)
def test_an_error_naming_text_in_square_brackets_prints_it_as_written(args: list[str]) -> None:
    # "[/]" in a name ended in "internal error (MarkupError)", and "[bold]" vanished: rich read them as markup.
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert next(a for a in args if "[" in a) in result.stderr and "internal error" not in result.stderr

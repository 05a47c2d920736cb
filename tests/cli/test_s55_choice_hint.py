"""A mistyped choice of an option (``--task t2vv``) is offered the nearest valid one; a far-off value gets no guess."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("typed", "meant"), [("t2vv", "t2v"), ("KEYFRAME", "keyframes"), ("avtar", "avatar")]
)
def test_a_near_choice_is_offered(typed: str, meant: str) -> None:
    result = runner.invoke(app, ["generate", "a fox", "--task", typed])
    assert result.exit_code == 2, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert f"'{typed}' is not one of 't2v', 'i2v'" in line, line
    assert line.endswith(f"'avatar'; did you mean {meant}? (see 'reelgen generate --help')"), line


def test_a_far_off_value_gets_no_guess() -> None:
    result = runner.invoke(app, ["generate", "a fox", "--task", "zzz"])
    assert result.exit_code == 2, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert "is not one of" in line and "did you mean" not in line, line

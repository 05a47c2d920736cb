"""`reelgen generate` tells a number past a field's bound the whole range, under the option's name."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app


def test_generate_names_the_option_and_its_range() -> None:
    result = CliRunner().invoke(app, ["generate", "a fox", "-m", "ltx-tiny", "--steps", "0"])
    assert result.exit_code == 2
    assert "--steps: 0 is too small; it takes a whole number from 1 to 1000" in result.output

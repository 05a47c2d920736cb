"""``reelgen shootout --fps 12`` (or --steps, --seconds ...): a shoot-out takes its shared settings from the prompts
file, which "No such option: --fps" did not say; now it says where the setting goes, with an example."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("--fps", "fps: 12"),
        ("--steps", "steps: 30"),
        ("--num-frames", "num_frames: 49"),
        ("--frames", "num_frames: 49"),
    ],
)
def test_a_setting_typed_as_an_option_says_it_goes_in_the_prompts_file(typed: str, written: str) -> None:
    result = CliRunner().invoke(app, ["shootout", "-m", "ltx-tiny", "-p", "p.txt", typed, "abc"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert said.startswith(
        f"error: No such option: {typed}; a shoot-out asks every model for the same settings, given in its "
        f"prompts file (a YAML file): settings: {{{written}}} (`reelgen shootout --help` lists its keys)"
    ), said

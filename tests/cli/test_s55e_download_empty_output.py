"""``reelgen download ID -o ""`` (an unset variable) is refused as empty, not as the folder "."."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

ID = "video_" + "0" * 32


@pytest.mark.parametrize("typed", ["", "  "])
def test_an_empty_output_is_said_to_be_empty(typed: str) -> None:
    # Port 1: nothing listens there; the refusal comes before any call.
    result = CliRunner().invoke(app, ["download", ID, "-o", typed, "--server", "http://127.0.0.1:1"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert said == (
        "error: Invalid value for '--output' / '-o': it is empty (an unset variable?); give a file name such "
        "as fox.mp4, or leave it out for <id>.mp4 (see 'reelgen download --help')"
    )


def test_a_named_output_still_goes_on_to_the_server() -> None:
    result = CliRunner().invoke(app, ["download", ID, "-o", "fox.mp4", "--server", "http://127.0.0.1:1"])
    assert result.exit_code == 1 and "cannot reach http://127.0.0.1:1" in result.stderr, result.output

"""A prompt starting with '-' is said as a prompt, with the command line that passes it."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app


def test_a_prompt_starting_with_a_dash_is_shown_how_to_pass() -> None:
    # It read only "No such option: -d", a flag nobody typed.
    result = CliRunner().invoke(app, ["submit", "-dark night", "-m", "ltx-tiny"])
    assert " ".join(result.output.split()) == (
        "error: No such option: -d; '-dark night' starts with '-', so it was read as options: put it "
        "after --, as in reelgen submit -m ltx-tiny -- '-dark night' (see 'reelgen submit --help')"
    )
    assert result.exit_code == 2


def test_a_mistyped_short_option_is_said_as_before() -> None:
    result = CliRunner().invoke(app, ["generate", "-x", "a fox"])
    assert " ".join(result.output.split()) == "error: No such option: -x (see 'reelgen generate --help')"


def test_a_key_typed_with_it_is_not_echoed() -> None:
    result = CliRunner().invoke(app, ["submit", "-dark night", "--api-key", "s3cret", "--api-key=s3cret"])
    said = " ".join(result.output.split())
    assert "as in reelgen submit --api-key KEY --api-key=KEY -- '-dark night'" in said
    assert "s3cret" not in said

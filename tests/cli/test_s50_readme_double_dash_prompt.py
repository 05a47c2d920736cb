"""A prompt starting with '--' ("--- a title card ---") is said as a prompt too, as one with '-' was."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app


def said(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, " ".join(result.output.split())


def test_a_prompt_starting_with_two_dashes_is_shown_how_to_pass() -> None:
    # It read "No such option: --- a title card ---" and nothing of how to pass it.
    code, line = said(["generate", "--- a title card ---", "-m", "ltx-tiny"])
    assert line == (
        "error: No such option: --- a title card ---; '--- a title card ---' starts with '-', so it was "
        "read as options: put it after --, as in reelgen generate -m ltx-tiny -- '--- a title card ---' "
        "(see 'reelgen generate --help')"
    )
    assert code == 2


def test_a_mistyped_long_option_with_a_spaced_value_is_said_as_before() -> None:
    # "--negativ=blurry sky" is an option with a value holding a space, not a prompt.
    code, line = said(["generate", "a fox", "--negativ=blurry sky"])
    assert "starts with '-'" not in line
    assert line.startswith("error: No such option: --negativ")
    assert code == 2

"""A control character in a message (a file name holding ESC, say) is shown, never sent to the terminal."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli.output import say_ended, say_error


def test_an_error_naming_a_path_with_escape_codes_shows_them() -> None:
    result = CliRunner().invoke(app, ["replay", "\x1b[31mred.mp4"])
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert "\\x1b[31mred.mp4 does not exist" in result.output


def test_markup_stays_as_written_beside_a_shown_bell(capsys: pytest.CaptureFixture[str]) -> None:
    say_error("a [b]c\x07")
    assert capsys.readouterr().err == "error: a [b]c\\x07\n"


def test_a_failed_jobs_message_is_shown_the_same_way(capsys: pytest.CaptureFixture[str]) -> None:
    say_ended("failed", "prompt \x1b]0;title\x07 was refused")
    assert capsys.readouterr().err == "failed: prompt \\x1b]0;title\\x07 was refused\n"


def test_colons_around_a_word_stay_text_not_an_emoji(capsys: pytest.CaptureFixture[str]) -> None:
    say_error("RAY_ADDRESS='a:b:c' is no address")
    assert capsys.readouterr().err == "error: RAY_ADDRESS='a:b:c' is no address\n"

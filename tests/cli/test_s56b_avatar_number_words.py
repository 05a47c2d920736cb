"""``reelgen avatar --fps abc`` (and --max-seconds abc) says what the option takes: it read "give one in
digits, such as 2.5", a frame rate avatar refuses, with no word of the range it takes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


@pytest.mark.parametrize(
    ("option", "takes"),
    [
        ("--fps", "it takes a number from 10 to 240; leave it out for 25"),
        ("--max-seconds", "it takes a number of seconds, at least 0.25; leave it out for"),
    ],
)
def test_a_number_option_given_text_says_its_range(option: str, takes: str) -> None:
    result = CliRunner().invoke(app, ["avatar", "--image", "face.png", "--text", "hi", option, "abc"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert f"'{option}': 'abc' is not a number; {takes}" in said, said

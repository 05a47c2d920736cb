"""A number option given no number is told so once, with the numbers it takes, in reelgen's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def _said(argv: list[str], env: dict[str, str] | None = None) -> tuple[str, int]:
    result = runner.invoke(app, argv, env=env or {})
    return " ".join(result.output.split()), result.exit_code


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (  # it was "Invalid value for '--fps': Input should be a valid number, unable to parse string as a number"
            ["generate", "a cat", "--fps", "abc"],
            "error: --fps: 'abc' is not a number; it takes a number above 0 and at most 240 "
            "(see 'reelgen generate --help')",
        ),
        (
            ["generate", "a cat", "--steps", "2.5"],
            "error: --steps: '2.5' is not a whole number; it takes a whole number from 1 to 1000 "
            "(see 'reelgen generate --help')",
        ),
        (  # --strength is the request's source_strength
            ["generate", "a cat", "--strength", "half"],
            "error: --strength: 'half' is not a number; it takes a number from 0 to 1 (see 'reelgen generate --help')",
        ),
        (
            ["animate", "face.png", "--width", "wide"],
            "error: --width: 'wide' is not a whole number; it takes a whole number from 1 to 16384 "
            "(see 'reelgen animate --help')",
        ),
        (  # an option with its own min and max: said with them, as its out-of-range values are
            ["serve", "--port", "80a"],
            "error: --port: '80a' is not a whole number; it takes a whole number from 1 to 65535 "
            "(see 'reelgen serve --help')",
        ),
        (  # bench's steps are a request's: said with the request's range, as its -5 is
            ["bench", "--steps", "abc"],
            "error: --steps: 'abc' is not a whole number; it takes a whole number from 1 to 1000 "
            "(see 'reelgen bench --help')",
        ),
    ],
)
def test_no_number_is_said_once_with_what_it_takes(argv: list[str], line: str) -> None:
    assert _said(argv) == (line, 2)


def test_a_setting_from_the_environment_is_named_with_its_value() -> None:
    said, code = _said(["serve"], {"REELGEN_PORT": "80a"})
    assert said == (
        "error: --port: REELGEN_PORT='80a' is not a whole number; it takes a whole number from 1 to 65535 "
        "(see 'reelgen serve --help')"
    )
    assert code == 2


def _takes(line: str) -> str:
    found = re.search(r"it takes (.*?) \(see", line) or re.search(r"it takes (.*)$", line)
    assert found, line
    return found[1]


@pytest.mark.parametrize(
    ("argv", "option", "too_large"),
    [
        (["generate", "a cat"], "--frames", "99999999"),
        (["generate", "a cat"], "--guidance-2", "99999999"),
        (["generate", "a cat"], "--interpolate", "99"),
        (["generate", "a cat"], "--upscale", "99"),
        (["animate", "face.png"], "--seconds", "99999999"),
        (["project", "export"], "--width", "99999"),
        (["project", "export"], "--fps", "9999"),
    ],
)
def test_the_range_said_for_no_number_is_the_one_the_command_checks(
    argv: list[str], option: str, too_large: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The range told for 'abc' is the one the command itself refuses a too-large value with."""
    (tmp_path / "project.yaml").write_text("title: t\nscenes:\n  - prompt: a cat\n    duration: 1\n")
    monkeypatch.chdir(tmp_path)
    refused, _ = _said([*argv, option, too_large])
    assert f"{option}: {too_large} is too large" in refused
    said, code = _said([*argv, option, "abc"])
    assert said.startswith(f"error: {option}: 'abc' is not a ")
    assert _takes(said) == _takes(refused)
    assert code == 2
    assert not (tmp_path / "exports").exists()

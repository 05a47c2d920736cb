"""A mistyped option is answered with the option meant, and a word like no option with none at all."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def said(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("--seeed", "--seed"),  # it offered --seconds too
        ("--widht", "--width"),  # it offered --height and --weights too
        ("--neg", "--negative"),  # it offered --height too
        ("--steeps", "--steps"),  # it offered --fps and --seed too
        ("--outptu", "--output"),  # it offered --count and --option too
        ("--Seed", "--seed"),
        ("--guidence", "--guidance"),
    ],
)
def test_a_typo_gets_the_one_option_meant(typed: str, meant: str) -> None:
    assert said("generate", "x", typed, "1") == (
        f"error: No such option: {typed}; did you mean {meant}? (see 'reelgen generate --help')"
    )


@pytest.mark.parametrize("typed", ["--bogus", "--zzzzzzz", "--colour"])
def test_a_word_like_no_option_gets_no_suggestion(typed: str) -> None:
    # "--bogus" read "(Possible options: --gpus)", an option nothing like it.
    assert said("generate", "x", typed) == f"error: No such option: {typed} (see 'reelgen generate --help')"


def test_a_prefix_of_several_options_names_them_all() -> None:
    assert said("generate", "x", "--guid", "3") == (
        "error: No such option: --guid; did you mean --guidance or --guidance-2? (see 'reelgen generate --help')"
    )


def test_every_command_is_answered_the_same_way() -> None:
    assert said("enhance", "in.mp4", "--interpolat", "2") == (
        "error: No such option: --interpolat; did you mean --interpolate? (see 'reelgen enhance --help')"
    )
    assert said("project", "render", ".", "--forse") == (
        "error: No such option: --forse; did you mean --force? (see 'reelgen project render --help')"
    )
    assert said("models", "--bogus") == "error: No such option: --bogus (see 'reelgen models --help')"

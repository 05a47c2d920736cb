"""Mistyped options get the option meant: short ones in the wrong case, long ones with one dash, other tools' names."""

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


def test_a_short_option_in_the_wrong_case_is_named() -> None:
    assert said("generate", "x", "-M", "reelgen-micro") == (
        "error: No such option: -M; did you mean -m? (see 'reelgen generate --help')"
    )
    assert (
        said("avatar", "-I", "face.png")
        == "error: No such option: -I; did you mean -i? (see 'reelgen avatar --help')"
    )


def test_a_short_option_near_none_gets_no_suggestion() -> None:
    assert said("generate", "x", "-x") == "error: No such option: -x (see 'reelgen generate --help')"


@pytest.mark.parametrize("extra", [["-seed", "3"], ["-seed=3"]])
def test_a_long_option_with_one_dash_is_named_with_two(extra: list[str]) -> None:
    # It was "No such option: -s", a flag nobody typed.
    assert said("generate", "x", *extra) == (
        "error: No such option: -s; did you mean --seed? (-seed was read as short options; a long one "
        "takes two dashes) (see 'reelgen generate --help')"
    )


def test_a_long_option_with_one_dash_read_as_a_short_one_with_a_value_is_named_too() -> None:
    # "-model x" set -m to "odel" and said only "Got unexpected extra argument(s) (x)".
    assert "did you mean --model? (-model was read as short options" in said("generate", "a", "-model", "x")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("--num-frames", "--frames"),
        ("--negative-prompt", "--negative"),
        ("--guidance-scale", "--guidance"),
        ("--num_inference_steps", "--steps"),
        ("--last-image", "--end-image"),
    ],
)
def test_another_tools_name_gets_reelgens_option(typed: str, meant: str) -> None:
    assert said("generate", "x", typed, "1") == (
        f"error: No such option: {typed}; did you mean {meant}? (see 'reelgen generate --help')"
    )


def test_a_word_near_two_options_names_both_not_the_wrong_one() -> None:
    # "--interpolation 2" was offered --interpolator alone, which takes a name, not a factor.
    assert said("generate", "x", "--interpolation", "2") == (
        "error: No such option: --interpolation; did you mean --interpolate or --interpolator? "
        "(see 'reelgen generate --help')"
    )


@pytest.mark.parametrize("typed", ["--prompt", "--promt"])
def test_the_prompt_typed_as_an_option_is_told_how_it_is_given(typed: str) -> None:
    assert said("generate", typed, "a fox") == (
        f"error: No such option: {typed}; the prompt takes no option: give it in quotes, as in "
        "reelgen generate \"a red fox in snow\" ... (see 'reelgen generate --help')"
    )
    assert 'reelgen animate IMAGE "a red fox in snow" ...' in said("animate", "a.png", typed, "x")

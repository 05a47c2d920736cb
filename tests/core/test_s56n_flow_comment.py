"""A ``#`` that cut a ``{...}`` short as a YAML comment is found, and the value to quote is named."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from reelgen.core.yaml_comment_cut import comment_cut


def _error(text: str) -> Any:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.safe_load(text)
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        "title: x\nscenes:\n  - id: a\n    title_card: {text: Hi, colour: #fff}\n",  # file ends in the {
        "scenes:\n  - title_card: {text: Hi, colour: #fff}\n    duration: 2\n",  # the next line is read in it
    ],
)
def test_a_colour_cut_by_a_comment_in_a_flow_mapping_is_said(text: str) -> None:
    line, column, words = comment_cut(text, _error(text)) or (0, 0, "")
    assert text.splitlines()[line][column:] == "#fff}"
    assert "the '#' of #fff starts a comment in YAML" in words
    assert 'put the colour in quotes: colour: "#fff"' in words


@pytest.mark.parametrize(
    "text",
    [
        'a: {text: "it #1", b: [1, 2]}   # fine {sic}\nc: {d: 1\n',  # the '{' on line 2 is left open
        "a: {b: [1, 2]   # see [docs]\n",  # the comment holds no '}' that would have closed the '{'
    ],
)
def test_a_quoted_hash_and_an_ordinary_comment_are_not_blamed(text: str) -> None:
    assert comment_cut(text, _error(text)) is None


def test_a_value_not_a_colour_is_told_to_be_quoted_too() -> None:
    text = "a: [1, #2]\n"
    _, _, words = comment_cut(text, _error(text)) or (0, 0, "")
    assert words.endswith('put the value in quotes: "#2"')

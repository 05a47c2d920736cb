"""A title card written wrong is told what to write: not "write text: of the day" for a card that reads
"text of the day", not "give text after the colon" for a colour YAML read as a comment, not to quote a
colour as the number YAML made of it, nor a date said in Python's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project.folder import ProjectFolder


def _said(tmp_path: Path, card: str) -> str:
    (tmp_path / "project.yaml").write_text(
        f"title: T\nscenes:\n  - id: a\n{card}    duration: 2\n", encoding="utf-8"
    )
    with pytest.raises(InvalidRequest) as refused:
        ProjectFolder.find(tmp_path).load()
    return refused.value.message


def test_a_card_whose_text_starts_with_a_field_name_is_offered_both_readings(tmp_path: Path) -> None:
    said = _said(tmp_path, "    title_card: text of the day\n")
    assert said == (
        "scene 'a' (scenes[0]): title_card: should be a mapping of fields (key: value), not 'text of the day'; "
        "for a card that reads 'text of the day', write it as {text: text of the day}; or, where text names "
        "the field, text: of the day (a ':' and a space after the field's name)"
    )


def test_a_card_without_text_says_what_text_is(tmp_path: Path) -> None:
    said = _said(tmp_path, "    title_card: {subtitle: x}\n")
    assert said.endswith(
        "title_card.text is required: the words the title card shows, such as text: Chapter One"
    )


def test_an_unquoted_hash_colour_is_said_to_be_a_comment(tmp_path: Path) -> None:
    said = _said(tmp_path, "    title_card:\n      text: hi\n      background: #ff0000\n")
    assert said.endswith(
        'title_card.background: is empty; give a colour: a name (white) or #rrggbb in quotes, such as "#ff0000" '
        "(YAML reads an unquoted # as the start of a comment)"
    )


def test_a_number_for_a_colour_is_not_told_to_be_quoted_as_that_number(tmp_path: Path) -> None:
    said = _said(tmp_path, "    title_card:\n      text: hi\n      colour: 0xff0000\n")
    assert said.endswith(
        "title_card.colour: YAML reads 16711680 as a number, not a colour; give a name (white) or #rrggbb "
        'in quotes, such as "#ff0000"'
    )


def test_a_date_for_a_cards_text_is_said_as_written(tmp_path: Path) -> None:
    said = _said(tmp_path, "    title_card:\n      text: 2024-01-01\n")
    assert said.endswith(
        'title_card.text: YAML reads 2024-01-01 as a date, not text; put it in quotes: "2024-01-01"'
    )

"""A title card too long for its frame is blamed on the field that does not fit, with that field's count."""

from __future__ import annotations

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import text
from reelgen.core.export.settings import TitleCard


def test_a_title_too_long_counts_only_its_own_letters() -> None:
    # Was "the text (504 letters)" for a 499-letter text with the 5-letter subtitle "world" added in.
    card = TitleCard(text="A" * 499, subtitle="world")
    with pytest.raises(InvalidRequest) as refused:
        text.title_card(card, 32, 32, "scenes[0].title_card")
    assert refused.value.param == "scenes[0].title_card.text"
    assert refused.value.message.startswith(
        "scenes[0].title_card.text: the text (499 letters) does not fit in a 32x32 frame"
    )


def test_a_subtitle_too_long_under_a_short_title_is_blamed_on_the_subtitle() -> None:
    # The two-letter title fits on its own; it is the subtitle that leaves no room.
    card = TitleCard(text="Hi", subtitle="B" * 500)
    with pytest.raises(InvalidRequest) as refused:
        text.title_card(card, 32, 32, "scenes[0].title_card")
    assert refused.value.param == "scenes[0].title_card.subtitle"
    assert refused.value.message == (
        "scenes[0].title_card.subtitle: the subtitle (500 letters) does not fit under the text "
        "(2 letters) in a 32x32 frame even at the smallest size drawn; shorten the subtitle or the "
        "text, or export a larger film (a greater width and height)"
    )


def test_letters_are_counted_as_written_not_as_code_points() -> None:
    # "é" typed as e and a combining accent is one letter to the person who wrote it.
    card = TitleCard(text="e\u0301" * 250)
    with pytest.raises(InvalidRequest) as refused:
        text.title_card(card, 32, 32, "t")
    assert "the text (250 letters)" in refused.value.message

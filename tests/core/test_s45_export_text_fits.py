"""A long title or text is drawn small enough to fit the frame, not cut off at its top and bottom."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import text
from reelgen.core.export.settings import TextOverlay, TitleCard

LONG = "word " * 99 + "end"


def test_a_long_title_fits_on_the_card() -> None:
    # Twenty lines at the usual size ran off both edges of a 320x180 card: the film showed the middle.
    card = np.asarray(text.title_card(TitleCard(text=LONG, subtitle="a subtitle"), 320, 180, "t"))
    inked = np.flatnonzero(card.max(axis=(1, 2)) > 0)
    assert inked.size and inked[0] > 4 and inked[-1] < 175


def test_a_long_text_and_its_box_fit_in_the_frame() -> None:
    overlay = TextOverlay(text=LONG, end=1, size=0.3, position="top")
    alpha = np.asarray(text.text_layer(overlay, 320, 180, "export.texts[0]"))[..., 3]
    shown = np.flatnonzero(alpha.max(axis=1) > 0)
    assert shown.size and shown[0] > 0 and shown[-1] < 179


def test_a_short_title_keeps_its_usual_size() -> None:
    card = np.asarray(text.title_card(TitleCard(text="film"), 320, 180, "t"))
    inked = np.flatnonzero(card.max(axis=(1, 2)) > 0)
    assert inked[-1] - inked[0] >= round(180 * 0.12) * 0.6  # letters of about 12% of the height


@pytest.mark.parametrize(
    ("draw", "field"),
    [
        (
            lambda: text.title_card(TitleCard(text="A" * 500), 32, 32, "scenes[0].title_card"),
            "scenes[0].title_card",
        ),
        (
            lambda: text.text_layer(TextOverlay(text="A" * 500, end=1), 32, 32, "export.texts[0]"),
            "export.texts[0]",
        ),
    ],
)
def test_a_text_no_size_fits_is_refused_naming_its_field(draw: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        draw()
    assert refused.value.param == f"{field}.text"
    assert "the text (500 letters) does not fit in a 32x32 frame" in refused.value.message


def test_letters_wider_than_a_narrow_frame_are_drawn_smaller() -> None:
    # On a 64x1024 card a W of 12% of the height was wider than the frame: cut at both sides.
    card = np.asarray(text.title_card(TitleCard(text="WWW MMM"), 64, 1024, "t"))
    inked = np.flatnonzero(card.max(axis=(0, 2)) > 0)
    assert inked[0] > 0 and inked[-1] < 63
    alpha = np.asarray(text.text_layer(TextOverlay(text="WWW", end=1, size=0.5), 64, 1024, "t"))[..., 3]
    shown = np.flatnonzero(alpha.max(axis=0) > 0)
    assert shown[0] > 0 and shown[-1] < 63

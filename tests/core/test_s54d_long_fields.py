"""A project.yaml field longer than it may be says how long it is and how long it may be, in words:
pydantic's "String should have at most 300 characters" said neither how long the title was nor what to do."""

from __future__ import annotations

from typing import Any

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project.problems import validated


def _said(data: dict[str, Any]) -> str:
    with pytest.raises(InvalidRequest) as caught:
        validated(data, "project.yaml")
    return caught.value.message


def test_a_title_too_long_says_its_length_and_the_most() -> None:
    said = _said({"title": "x" * 320, "scenes": [{"prompt": "a", "duration": 1}]})
    assert said == "title: it has 320 characters, and at most 300 are taken; shorten it"


def test_a_title_card_text_too_long_names_the_scene_and_the_most() -> None:
    said = _said({"title": "T", "scenes": [{"id": "end", "title_card": {"text": "y" * 520}, "duration": 1}]})
    assert (
        said
        == "scene 'end' (scenes[0]): title_card.text: it has 520 characters, and at most 500 are taken; shorten it"
    )


def test_too_many_reference_images_says_how_many_it_takes() -> None:
    said = _said(
        {
            "title": "T",
            "reference_images": ["a.png", "b.png", "c.png", "d.png"],
            "scenes": [{"prompt": "a", "duration": 1}],
        }
    )
    assert said == "reference_images: it has 4 items, and at most 3 are taken; shorten it"

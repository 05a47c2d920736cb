"""A project file holding a key that is the empty string says so, where that key is."""

from __future__ import annotations

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project.problems import validated

SCENE = {"prompt": "a harbour at dawn", "duration": 2}


def refusal(data: dict[str, object]) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as refused:
        validated(data, "film.yaml")
    return refused.value


def test_an_empty_key_of_the_project_is_named_as_one() -> None:
    # It was "project is not a known field": the empty name was lost, and the message named the whole file.
    said = refusal({"title": "Dawn", "scenes": [SCENE], "": 1})
    assert str(said) == '"" (a field with an empty name) is not a known field; remove it'
    assert said.param == '""'


def test_an_empty_key_of_a_scene_is_named_in_its_scene() -> None:
    said = refusal({"title": "Dawn", "scenes": [SCENE, {**SCENE, "": "x"}]})
    assert '"" (a field with an empty name) is not a known field; remove it' in str(said)
    assert said.param == 'scenes[1].""'


def test_other_unknown_fields_read_as_before() -> None:
    said = refusal({"title": "Dawn", "scenes": [SCENE], "titel": "x"})
    assert str(said).startswith("titel is not a known field") and said.param == "titel"

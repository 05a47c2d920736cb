"""A NUL in a request is named by where it is; a body without one is read without naming anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.nul_text import nul_at
from reelgen.core.textfile import read_json


class Unnamed:
    """A key that fails the test when it is written into a field name."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __format__(self, spec: str) -> str:
        raise AssertionError(f"a field name was built for the key {self.text!r}")

    def __str__(self) -> str:
        raise AssertionError(f"a field name was built for the key {self.text!r}")


def test_a_nul_deep_in_a_list_is_named_by_its_place() -> None:
    body: dict[str, Any] = {
        "model": "m",
        "items": [
            {"prompt": "a", "images": ["a.png", "b.png"]},
            {"prompt": "b", "images": ["c.png", "d\x00.png", "e.png"]},
            {"prompt": "c"},
        ],
    }
    assert nul_at(body) == "items[1].images[1]"
    assert nul_at(body["items"], "items") == "items[1].images[1]"
    assert nul_at({1: ["x", "y\x00"]}) == "1[1]"  # a YAML key that is a number
    assert nul_at({"tags": {"bad\x00key": "fine"}}) == "tags.bad\x00key"
    assert nul_at("a\x00b", "prompt") == "prompt"
    assert nul_at({"a": ["b", 1, None, 2.5, {"c": "d"}]}) is None


def test_of_two_nuls_the_one_named_is_the_one_named_before() -> None:
    # Looked at last item first, as it always was: the field a message names stays the same.
    assert nul_at({"a": "\x00", "b": ["x", "\x00", "\x00"]}) == "b[2]"


def test_a_body_without_a_nul_builds_no_field_name() -> None:
    # Naming every value of a body of a million items held the event loop 7-18 s.
    body = {Unnamed("top"): [{Unnamed(f"k{i}"): [f"v{i}", {"deep": "text"}]} for i in range(2000)]}
    assert nul_at(body) is None


def test_a_nul_builds_only_the_names_on_its_way() -> None:
    body = {Unnamed("before"): ["x"] * 100, "items": [{"p": "\x00"}], Unnamed("after"): {"q": "y"}}
    assert nul_at(body) == "items[0].p"


def test_a_file_holding_a_nul_still_says_where(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text('{"items": [{"prompt": "ok"}, {"prompt": "a\\u0000b"}]}')
    with pytest.raises(InvalidRequest) as raised:
        read_json(path, "batch.json", param="manifest")
    assert str(raised.value) == (
        "batch.json: items[1].prompt holds a NUL character (\\0), which no file name or text may hold"
    )

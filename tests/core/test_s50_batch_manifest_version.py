"""A manifest version this reelgen does not read is said with what was given and what to write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgen.core.batch import load_manifest
from reelgen.core.errors import InvalidRequest


@pytest.mark.parametrize(("given", "shown"), [(2, "2"), ("1", "'1'"), (True, "True")])
def test_an_unknown_version_is_named_with_the_one_to_write(tmp_path: Path, given: object, shown: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"version": given, "items": [{"output": "a"}]}))
    # Said as "version: Input should be 1".
    with pytest.raises(InvalidRequest) as caught:
        load_manifest(path)
    assert caught.value.message == (
        f"manifest {path}: version: {shown} is not a manifest version this reelgen reads; "
        "write 1 (a number), or leave version out"
    )


def test_version_1_and_none_given_are_read(tmp_path: Path) -> None:
    for body in ({"version": 1, "items": [{"output": "a"}]}, {"items": [{"output": "a"}]}):
        (tmp_path / "m.json").write_text(json.dumps(body))
        assert load_manifest(tmp_path / "m.json").version == 1

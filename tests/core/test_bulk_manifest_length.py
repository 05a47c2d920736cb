"""Manifest fields as people write them: both lengths in one mapping, a number as an output name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reelgen.core.batch import Manifest, load_manifest
from reelgen.core.errors import InvalidRequest


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"defaults": {"num_frames": 9, "seconds": 2}, "items": [{"output": "a"}]}, "defaults"),
        ({"items": [{"output": "a"}, {"output": "b", "num_frames": 9, "seconds": 2}]}, "items[1]"),
    ],
)
def test_both_lengths_in_one_mapping_are_refused(tmp_path: Path, body: dict[str, object], where: str) -> None:
    # Every item failed alike at run time, exit 1, with a summary written.
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(body))
    with pytest.raises(InvalidRequest, match=rf"{re.escape(where)}: give num_frames or seconds, not both"):
        load_manifest(path)


def test_an_item_length_still_replaces_the_defaults_other_one() -> None:
    batch = Manifest.model_validate({"defaults": {"seconds": 2}, "items": [{"output": "a", "num_frames": 9}]})
    assert (batch.items[0].num_frames, batch.defaults.seconds) == (9, 2)


def test_a_number_as_an_output_names_the_clip_by_its_digits() -> None:
    # "output": 7 was refused with "Input should be a valid string".
    batch = Manifest.model_validate({"items": [{"output": 7}, {"output": 12}]})
    assert [item.output for item in batch.items] == ["7", "12"]

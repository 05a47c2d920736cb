"""An item's field written as the defaults' (output_dir), or its images as one text, is said plainly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgen.core.batch import load_manifest
from reelgen.core.errors import InvalidRequest


def _refusal(tmp_path: Path, item: dict[str, object]) -> str:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"defaults": {"model": "ken-burns"}, "items": [item]}))
    with pytest.raises(InvalidRequest) as caught:
        load_manifest(path)
    return caught.value.message.removeprefix(f"manifest {path}: ")


@pytest.mark.parametrize("name", ["output_dir", "price_per_gpu_hour"])
def test_a_batch_setting_on_an_item_is_sent_to_defaults(tmp_path: Path, name: str) -> None:
    # Said as "items[0].output_dir is not a known field; did you mean output?".
    said = _refusal(tmp_path, {"output": "a", name: "x"})
    assert said == f"items[0]: {name} is a setting of the whole batch, not of one item; move it to defaults"


def test_images_written_as_one_text_asks_for_a_list(tmp_path: Path) -> None:
    # Said as "items[0].images: Input should be a valid list".
    said = _refusal(tmp_path, {"output": "a", "images": "shots/a.png"})
    assert said == 'items[0].images: give a list of one or two images, e.g. ["shots/a.png"]'

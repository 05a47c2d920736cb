"""A camera move named as people write it (zoom_in, "zoom in", a bare "zoom-in") is told the name it meant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgen.core.batch.manifest import load_manifest
from reelgen.core.errors import InvalidRequest


def _refused(tmp_path: Path, motion: object) -> str:
    item = {"prompt": "a fox", "images": ["a.png"], "output": "a.mp4", "model": "ken-burns", "motion": motion}
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"items": [item]}))
    with pytest.raises(InvalidRequest) as refused:
        load_manifest(path)
    return refused.value.message


@pytest.mark.parametrize("preset", ["zoom_in", "zoom in", "Zoom-In", "zoomin"])
def test_a_preset_written_another_way_is_told_the_name_it_meant(tmp_path: Path, preset: str) -> None:
    # It listed the ten names and stopped there.
    said = _refused(tmp_path, {"preset": preset})
    assert said.endswith("arc-left or arc-right; did you mean zoom-in?"), said


def test_a_preset_near_no_name_gets_the_list_alone(tmp_path: Path) -> None:
    assert _refused(tmp_path, {"preset": "spin"}).endswith("arc-left or arc-right")


@pytest.mark.parametrize("motion", ["zoom-in", "zoom_in"])
def test_a_preset_given_as_the_motion_itself_is_shown_the_object(tmp_path: Path, motion: str) -> None:
    # "items[0].motion must be an object of named fields, not a string" said not which object.
    said = _refused(tmp_path, motion)
    assert said.endswith(
        'items[0].motion must be an object of named fields, not a string; write it as {"preset": "zoom-in"}'
    ), said

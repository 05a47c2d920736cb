"""An item's ``"motion": null`` keeps its camera still, whatever motion the defaults give the others."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from reelgen.core.batch.manifest import Manifest, merged
from reelgen.core.batch.plan import plan_batch

MANIFEST = {
    "defaults": {"model": "ltx-tiny", "prompt": "a harbour, {motion}", "motion": {"preset": "zoom-in"}},
    "items": [{"output": "moving", "images": ["a.png"]}, {"output": "words", "motion": None}],
}


def test_an_item_with_motion_null_is_planned_without_the_defaults_motion(tmp_path: Path) -> None:
    noise = np.random.default_rng(0).integers(0, 256, (360, 640, 3), dtype=np.uint8)
    Image.fromarray(noise).save(tmp_path / "a.png")
    # The text item got the defaults' zoom-in, and failed: "a camera path moves over a keyframe image,
    # and this item gives none", with no way to say this one item has no camera move.
    moving, words = plan_batch(Manifest.model_validate(MANIFEST), tmp_path)
    assert words.error is None, words.error
    assert words.prompt == "a harbour, still camera" and words.motion is None
    assert moving.error is None and moving.prompt == "a harbour, zoom-in at speed 1"


def test_motion_null_survives_the_round_trip_a_server_job_makes(tmp_path: Path) -> None:
    # A server stores the manifest as a dump of every field and reads it back: an item that left motion
    # out must keep the defaults' motion, and one that wrote null must stay still.
    again = Manifest.model_validate(
        json.loads(json.dumps(Manifest.model_validate(MANIFEST).model_dump(mode="json")))
    )
    first, second = (merged(again.defaults, item)["motion"] for item in again.items)
    assert first is not None and first.preset is not None and first.preset.value == "zoom-in"
    assert second is None


def test_a_text_item_under_the_defaults_motion_is_told_how_to_keep_still(tmp_path: Path) -> None:
    manifest = {**MANIFEST, "items": [{"output": "words"}]}
    (words,) = plan_batch(Manifest.model_validate(manifest), tmp_path)
    assert words.error is not None
    assert 'give the item "motion": null for a still camera' in words.error["message"]


def test_two_images_under_a_camera_path_are_told_both_ways_out(tmp_path: Path) -> None:
    noise = np.random.default_rng(0).integers(0, 256, (360, 640, 3), dtype=np.uint8)
    Image.fromarray(noise).save(tmp_path / "a.png")
    manifest = {**MANIFEST, "items": [{"output": "pair", "images": ["a.png", "a.png"]}]}
    (pair,) = plan_batch(Manifest.model_validate(manifest), tmp_path)
    assert pair.error is not None
    assert pair.error["message"].endswith(
        'this item gives 2: give it one (or "motion": null to start and end on its two images)'
    )

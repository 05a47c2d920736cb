"""A missing AnimateDiff camera LoRA is said in the field the manifest wrote: motion, or options.camera_motion."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.batch.plan import PlannedItem
from reelgen.core.batch.run import render_failure

NEEDS = "needs guoyww/animatediff-motion-lora-pan-left, which is not in the Hugging Face cache"


def _planned(tmp_path: Path, motion: dict | None) -> PlannedItem:
    return PlannedItem(
        index=0, output="pan", video=str(tmp_path / "pan.mp4"), model="animatediff-tiny", motion=motion
    )


def test_a_lora_the_items_motion_chose_is_said_as_its_motion(tmp_path: Path) -> None:
    reason, param = render_failure(
        _planned(tmp_path, {"preset": "orbit"}), f"camera_motion 'pan-left' {NEEDS}", "options.camera_motion"
    )
    assert param == "items[0].motion"
    assert reason == f"items[0] (pan): motion (AnimateDiff's camera LoRA 'pan-left') {NEEDS}"


def test_a_lora_the_manifest_named_in_options_keeps_that_field(tmp_path: Path) -> None:
    # options: {camera_motion: pan-left} in the manifest: that is the field the person wrote.
    reason, param = render_failure(
        _planned(tmp_path, None), f"camera_motion 'pan-left' {NEEDS}", "options.camera_motion"
    )
    assert param == "items[0].options.camera_motion"
    assert reason == f"items[0] (pan): camera_motion 'pan-left' {NEEDS}"

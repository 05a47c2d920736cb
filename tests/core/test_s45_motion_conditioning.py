"""How a camera path reaches a model: a still path asks AnimateDiff for no LoRA; crops need two frames to pin."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.motion import Motion, Rect
from reelgen.core.motion.conditioning import camera_motion, frames_for, resolve_conditioned
from reelgen.core.spec import registry


def test_a_still_custom_path_gets_no_camera_lora() -> None:
    # It got the zoom-out LoRA at strength 1: the first of three moves of nothing, a zoom nobody asked for.
    crop = Rect(x=0, y=0, width=100, height=100)
    still = camera_motion(Motion(start=crop, end=crop))
    assert "options" not in still.fields and still.how == "none"
    assert "same crop" in still.note


def test_a_moving_custom_path_still_gets_the_lora_of_its_strongest_move() -> None:
    start, end = Rect(x=0, y=10, width=100, height=100), Rect(x=0, y=0, width=100, height=100)
    assert camera_motion(Motion(start=start, end=end)).fields["options"]["camera_motion"] == "tilt-up"


def test_a_one_frame_clip_is_refused_for_its_frames_not_for_a_keyframe_nobody_gave(tmp_path: Path) -> None:
    # Both crops went to frame 0 and the batch item was refused as "keyframes[1].frame 0 is pinned already
    # by an earlier keyframe", naming keyframes the person never wrote.
    start, end = tmp_path / "s.png", tmp_path / "e.png"
    ltx = registry.resolve("ltx-tiny")[1]
    with pytest.raises(InvalidRequest) as caught:
        frames_for(ltx, start, end, 1)
    assert caught.value.param == "num_frames" and "keyframes" not in caught.value.message
    assert "at least 2" in caught.value.message and "e.g. 9" in caught.value.message
    assert [k.frame for k in frames_for(ltx, start, end, 9).fields["keyframes"]] == [0, 8]


def test_a_persons_own_last_image_is_refused_by_a_model_that_cannot_pin_it_not_dropped(
    tmp_path: Path,
) -> None:
    # A batch item's two images on such a model lost the last one unsaid: the clip did not end where asked,
    # and nothing in its files said so. A camera path's end crop may still fall back to the start alone.
    start, end = tmp_path / "first.png", tmp_path / "last.png"
    for picture in (start, end):
        Image.new("RGB", (64, 64), (90, 120, 150)).save(picture)
    cog = registry.resolve("cogvideox-i2v-tiny")[1]
    fields = {"model": cog.name, "seed": 1, "width": 32, "height": 32}
    with pytest.raises(
        InvalidRequest,
        match="images.1. would be the clip.s last frame, and cogvideox-i2v-tiny cannot pin one",
    ):
        resolve_conditioned(fields, frames_for(cog, start, end, 9, crops=False))
    _, used = resolve_conditioned(fields, frames_for(cog, start, end, 9))
    assert used.how == "start_frame" and used.note.startswith("start crop only")


def test_two_images_on_a_text_only_model_are_not_said_to_be_a_camera_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as caught:
        frames_for(registry.resolve("wan-tiny")[1], tmp_path / "a.png", tmp_path / "b.png", 9, crops=False)
    assert "camera path" not in caught.value.message and "drop the images" in caught.value.message

"""How a camera path reaches AnimateDiff: a path that does not move asks for no camera LoRA."""

from __future__ import annotations

from reelgen.core.motion import Motion, Rect
from reelgen.core.motion.conditioning import camera_motion


def test_a_still_custom_path_gets_no_camera_lora() -> None:
    # It got the zoom-out LoRA at strength 1: the first of three moves of nothing, a zoom nobody asked for.
    crop = Rect(x=0, y=0, width=100, height=100)
    still = camera_motion(Motion(start=crop, end=crop))
    assert "options" not in still.fields and still.how == "none"
    assert "same crop" in still.note


def test_a_moving_custom_path_still_gets_the_lora_of_its_strongest_move() -> None:
    start, end = Rect(x=0, y=10, width=100, height=100), Rect(x=0, y=0, width=100, height=100)
    assert camera_motion(Motion(start=start, end=end)).fields["options"]["camera_motion"] == "tilt-up"

"""A talking-avatar model asked to start from an image (or follow a camera path) is said to make talking
avatars; it was said to "make video from text only", and told to drop the images."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.motion.conditioning import frames_for, start_for
from reelgen.core.spec import registry

AVATARS = "musetalk-tiny makes talking avatars from a face and a voice (`reelgen avatar`, POST /v1/avatars)"


def test_an_avatar_model_given_a_start_image_says_what_it_makes(tmp_path: Path) -> None:
    preset = registry.resolve("musetalk-tiny")[1]
    with pytest.raises(InvalidRequest) as caught:
        start_for(preset, tmp_path / "face.png")
    assert caught.value.param == "model"
    said = caught.value.message
    assert said.startswith(f"{AVATARS}, and cannot start from an image; use ken-burns or one of ")
    assert "text only" not in said and "drop the images" not in said


def test_an_avatar_model_given_two_images_or_a_path_says_what_it_makes(tmp_path: Path) -> None:
    preset = registry.resolve("musetalk-tiny")[1]
    start, end = tmp_path / "a.png", tmp_path / "b.png"
    with pytest.raises(InvalidRequest) as two:
        frames_for(preset, start, end, 16, crops=False)
    assert two.value.message.startswith(f"{AVATARS}, and cannot start or end on an image; use ")
    with pytest.raises(InvalidRequest) as path:
        frames_for(preset, start, end, 16)
    assert path.value.message.startswith(f"{AVATARS}, and cannot follow a camera path; use ")


def test_a_text_to_video_model_is_still_said_to_make_video_from_text(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as caught:
        start_for(registry.resolve("wan-tiny")[1], tmp_path / "face.png")
    assert caught.value.message.startswith(
        "wan-tiny makes video from text only and cannot start from an image; drop the images, or use "
        "ken-burns or one of "
    )

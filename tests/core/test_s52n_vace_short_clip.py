"""Wan VACE's extend of a clip too short for its context says what to do about it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.types import Video
from tests.core.helpers import resolved


def _refusal(tmp_path: Path, frames: int, clip_fps: int, fps: float) -> str:
    from reelgen.core.backends.wan import vace

    path = tmp_path / "clip.mp4"
    write_video(Video(np.full((frames, 32, 48, 3), 90, np.uint8), Fraction(clip_fps)), path)
    request = resolved(
        model="wan-vace-tiny", prompt="a", width=48, height=32, num_frames=5, fps=fps, task="extend",
        source_video=str(path),
    )  # fmt: skip
    with pytest.raises(InvalidRequest) as err:
        vace.conditions(request, None)
    assert err.value.param == "source_video"
    return str(err.value)


def test_a_clip_of_three_frames_asks_for_a_longer_one(tmp_path: Path) -> None:
    # It said only "source_video has 3 frames at the run's frame rate; Wan VACE extends from at least 4".
    assert _refusal(tmp_path, 3, 16, 16.0) == (
        "source_video has 3 frames at 16 fps; Wan VACE extends from at least 4; give a longer clip "
        "(at least 4 frames at its 16 fps)"
    )


def test_a_clip_thinned_by_a_low_fps_names_a_higher_one(tmp_path: Path) -> None:
    assert _refusal(tmp_path, 8, 24, 8.0) == (
        "source_video has 3 frames at 8 fps (8 at its own 24); Wan VACE extends from at least 4; give a "
        "longer clip (at least 10 frames at its 24 fps), or a --fps nearer its own 24"
    )

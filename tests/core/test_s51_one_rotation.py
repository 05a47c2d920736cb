"""The enhancer and the avatar's face source read a clip's display matrix through one function."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.enhance.mux import display_rotation, read_extras, upright


def _turned(path: Path, degrees: float) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.set_display_rotation(degrees)
        for _ in range(2):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


@pytest.mark.parametrize(("degrees", "turn"), [(90, 90), (-90, 270), (180, 180), (99, 90), (0, 0)])
def test_a_clips_turn_is_the_same_quarter_turn_for_enhance_and_avatar(
    tmp_path: Path, degrees: float, turn: int
) -> None:
    clip = _turned(tmp_path / "clip.mp4", degrees)
    # Each had its own copy: enhance recorded a 99-degree matrix as rotation 99 (its frames turned a
    # quarter, its shown size swapped), the avatar as 90.
    assert read_extras(clip).rotation == display_rotation(clip) == turn
    shown = upright(np.zeros((48, 64, 3), np.uint8), turn)
    assert shown.shape[:2] == ((64, 48) if turn % 180 else (48, 64))


def test_no_video_is_no_turn(tmp_path: Path) -> None:
    junk = tmp_path / "clip.mp4"
    junk.write_text("not a video")
    assert display_rotation(junk) == 0  # the readers after it say what is wrong

"""A phone's portrait clip (stored sideways with a display matrix) is read as a player shows it."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from reelgen.core import media


def _phone_clip(path: Path, upright: np.ndarray, frames: int = 3) -> Path:
    stored = np.ascontiguousarray(np.rot90(upright, k=-1))  # what the phone writes: the frame on its side
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=8)
        stream.width, stream.height, stream.pix_fmt = stored.shape[1], stored.shape[0], "yuv420p"
        stream.set_display_rotation(90)
        for _ in range(frames):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(stored, format="rgb24")))
        container.mux(stream.encode())
    return path


def test_a_portrait_phone_clip_is_read_upright(tmp_path: Path) -> None:
    # The clip an extend run continues (LTX-Video, Wan VACE, SkyReels-V2) was read as stored: the
    # continuation of a portrait clip came out lying on its side, at the stored (landscape) size.
    upright = np.zeros((96, 64, 3), dtype=np.uint8)
    upright[:32] = (230, 30, 30)  # red at the top, as the person filmed it
    clip = media.read_video(_phone_clip(tmp_path / "portrait.mp4", upright))
    assert clip.frames.shape == (3, 96, 64, 3)
    top, bottom = clip.frames[0, 8, 32], clip.frames[0, 88, 32]
    assert top[0] > 180 and top[1] < 80, top
    assert bottom.max() < 40, bottom


def test_a_clip_with_no_matrix_is_read_as_stored(tmp_path: Path) -> None:
    path = tmp_path / "plain.mp4"
    frame = np.zeros((48, 64, 3), dtype=np.uint8)
    frame[:, :16] = 220
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=8)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())
    clip = media.read_video(path)
    assert clip.frames.shape == (1, 48, 64, 3)
    assert clip.frames[0, 24, 4].min() > 180 and clip.frames[0, 24, 60].max() < 40

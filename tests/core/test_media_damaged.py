"""Files read as videos that are not whole videos: a still image, and an MP4 cut short, are refused by name."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.media import read_video, video_timing


def _clip(path: Path, frames: int = 24) -> bytes:
    """A small H.264 MP4 with its index first (as a web download is), so a cut copy still opens."""
    rng = np.random.default_rng(0)
    with av.open(str(path), "w", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("libx264", rate=8)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        for _ in range(frames):
            frame = av.VideoFrame.from_ndarray(rng.integers(0, 256, (64, 64, 3), np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path.read_bytes()


def test_an_mp4_cut_short_is_refused_not_read_as_a_shorter_clip(tmp_path: Path) -> None:
    """It was delivered as its first few frames, the last half-decoded (a 24-frame clip became 5)."""
    whole = _clip(tmp_path / "whole.mp4")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(InvalidRequest) as refused:
        read_video(cut, param="input", whole=True)
    assert refused.value.param == "input"
    assert refused.value.message.startswith(
        f"input: {cut} is cut short: its header lists 24 frames, but the file stops in frame "
    )
    assert refused.value.message.endswith("give the whole file")
    assert video_timing(tmp_path / "whole.mp4", whole=True).frames == 24  # the whole one reads as before
    assert video_timing(cut).frames < 24  # unasked, it is read as far as it goes (enhance says so itself)


@pytest.mark.parametrize(("suffix", "kind"), [(".png", "PNG"), (".jpg", "JPEG"), (".mp4", "PNG")])
def test_a_still_image_is_refused_not_read_as_a_one_frame_video(
    tmp_path: Path, suffix: str, kind: str
) -> None:
    still = tmp_path / f"photo{suffix}"
    Image.new("RGB", (32, 32), (200, 40, 40)).save(still, format="PNG" if suffix == ".mp4" else None)
    with pytest.raises(InvalidRequest) as refused:
        video_timing(still, param="source_video", shown=still.name)
    assert refused.value.message == f"source_video: {still.name} is a still image ({kind}), not a video"

"""An uploaded video with a picture stream and four sound tracks was told "needs a video stream (and at most 4
streams)": it has a video stream, so the words sent the sender to look for the wrong fault. The two faults
are now said apart: too many streams names how many it holds and the most taken."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from reelgen.api.errors import ApiError
from reelgen.api.video_probe import probe_video


def _clip(sound_tracks: int) -> bytes:
    """A short MP4 with one video stream and ``sound_tracks`` AAC tracks."""
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as out:
        video = out.add_stream("libx264", rate=8)
        video.width, video.height, video.pix_fmt = 32, 32, "yuv420p"
        sounds = [out.add_stream("aac", rate=48000, layout="mono") for _ in range(sound_tracks)]
        for i in range(4):
            frame = av.VideoFrame.from_ndarray(np.full((32, 32, 3), 20 * i, np.uint8), format="rgb24")
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        for sound in sounds:  # a tenth of a second of silence each: a track with no packet is left out
            for start in range(0, 4800, 1024):
                samples = np.zeros((1, 1024), np.float32)
                frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
                frame.sample_rate, frame.pts = 48000, start
                for packet in sound.encode(frame):
                    out.mux(packet)
            for packet in sound.encode(None):
                out.mux(packet)
    return buf.getvalue()


def test_a_video_with_too_many_streams_is_told_how_many_not_that_it_lacks_a_video() -> None:
    with pytest.raises(ApiError) as info:
        probe_video(_clip(4), max_seconds=60, max_side=4096)
    said = info.value.message
    assert (
        said == "source_video: holds 5 streams; this server takes at most 4 (a video stream and up to 3 more)"
    )
    assert "needs a video stream" not in said


def test_one_video_stream_and_three_more_still_pass() -> None:
    assert probe_video(_clip(3), max_seconds=60, max_side=4096) == ".mp4"

"""A voice sampled at a rate the container's audio codec does not take still becomes the video's soundtrack."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.types import Audio, Video


@pytest.mark.parametrize(("rate", "kept"), [(192_000, 96_000), (50_000, 64_000), (4_000, 7_350)])
def test_a_voice_at_a_rate_aac_lacks_is_written_at_one_it_has(tmp_path: Path, rate: int, kept: int) -> None:
    # A 192 kHz studio WAV made a whole avatar, then failed as "internal error (ArgumentError ...
    # avcodec_open2("aac" ...) returned 22)": AAC takes 7.35 to 96 kHz, from a fixed list.
    tone = np.sin(np.arange(rate // 2) * 2 * np.pi * 440 / rate)[None].astype(np.float32) * 0.5
    video = Video(np.full((4, 16, 16, 3), 128, np.uint8), Fraction(8), Audio(tone, rate))
    path = write_video(video, tmp_path / "talk.mp4")
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.sample_rate == kept
        held = sum(frame.samples for frame in container.decode(stream))
    assert abs(held - kept // 2) <= 1024  # the whole half second, at the new rate (to an AAC frame)

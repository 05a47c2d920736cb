"""Clips in containers that keep milliseconds (Matroska, WebM) are read at the rate they were made at."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.video_timing import COMMON_RATES, video_timing


def clip(path: Path, codec: str, rate: Fraction, frames: int) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            picture = np.full((48, 64, 3), i * 20, np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        container.mux(stream.encode())
    return path


@pytest.mark.parametrize(("suffix", "codec"), [(".mkv", "libx264"), (".webm", "libvpx-vp9")])
@pytest.mark.parametrize("rate", [Fraction(48000, 1001), Fraction(96000, 1001), Fraction(16)], ids=str)
def test_a_short_clip_keeps_its_exact_rate(tmp_path: Path, suffix: str, codec: str, rate: Fraction) -> None:
    """They read back at 7001/146 for 48000/1001 (the millisecond stamps' own rate), so enhance x2 made
    7001/73 fps, not the exact 96000/1001 the docs promise."""
    timing = video_timing(clip(tmp_path / f"c{suffix}", codec, rate, 9))
    assert (timing.fps, timing.frames, timing.variable) == (rate, 9, False)


def test_a_rate_no_common_one_fits_is_read_as_measured(tmp_path: Path) -> None:
    # 37 fps is no common rate: kept as the stamps give it (37.04), not pulled to a common one.
    timing = video_timing(clip(tmp_path / "odd.mkv", "libx264", Fraction(37), 9))
    assert abs(float(timing.fps) - 37) < 0.1 and timing.fps not in COMMON_RATES

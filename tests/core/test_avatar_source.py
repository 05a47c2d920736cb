"""The face source of a dub: which frames of a video an avatar reads, and what it costs to read them."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelgen.core.encode import write_video
from reelgen.core.face.source import from_video
from reelgen.core.media import read_video
from reelgen.core.types import Video

FPS = 25
SIDE = 256


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve seconds of the astronaut at 256x256, each frame shifted a pixel further (so frames differ)."""
    from skimage import data

    photo = np.asarray(Image.fromarray(data.astronaut()).resize((SIDE, SIDE)))
    frames = np.stack([np.roll(photo, i, axis=1) for i in range(12 * FPS)])
    return write_video(Video(frames, FPS), tmp_path_factory.mktemp("clips") / "long.mp4")  # type: ignore[arg-type]


def test_a_short_voice_over_a_long_video_reads_only_the_frames_it_shows(long_clip: Path) -> None:
    whole_clip = 12 * FPS * SIDE * SIDE * 3
    tracemalloc.start()
    try:
        source = from_video(str(long_clip), SIDE, SIDE, 10, FPS, None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The whole clip decoded first (as it was) peaks at twice its frames; ten frames are a few MB.
    assert peak < whole_clip / 4, f"peak {peak / 2**20:.0f} MiB for a {whole_clip / 2**20:.0f} MiB clip"
    shown = read_video(long_clip).frames
    assert len(source.frames) == 10
    for i in range(10):
        assert np.array_equal(source.frames[source.index[i]], shown[i])


def test_a_voice_longer_than_the_video_plays_it_back_and_forth(long_clip: Path, tmp_path: Path) -> None:
    frames = read_video(long_clip).frames[:6]
    clip = write_video(Video(frames, FPS), tmp_path / "short.mp4")  # type: ignore[arg-type]
    shown = read_video(clip).frames
    source = from_video(str(clip), SIDE, SIDE, 14, FPS, None)
    expected = [0, 1, 2, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 3]
    for i, k in enumerate(expected):
        assert np.array_equal(source.frames[source.index[i]], shown[k]), i


def test_a_video_at_another_rate_is_sampled_by_time(long_clip: Path, tmp_path: Path) -> None:
    frames = read_video(long_clip).frames[:50]
    clip = write_video(Video(frames, 50), tmp_path / "fifty.mp4")  # type: ignore[arg-type]
    shown = read_video(clip).frames
    source = from_video(str(clip), SIDE, SIDE, 20, FPS, None)
    for i in range(20):
        assert np.array_equal(source.frames[source.index[i]], shown[2 * i]), i

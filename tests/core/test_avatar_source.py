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
LONG_S = 5  # seconds of long_clip


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five seconds of the astronaut at 256x256, each frame shifted a pixel further (so frames differ).

    Five, not the twelve it was: encoding and decoding it were most of this module's fixtures (about 1 s of
    CPU for 300 frames). A dub of ten frames still reads a twelfth of it: read whole first (as it was), it
    peaks at 24 MiB, four times what the memory test allows; ten frames peak at 2.8 MiB. The other tests
    take its first 50 frames at most."""
    from skimage import data

    photo = np.asarray(Image.fromarray(data.astronaut()).resize((SIDE, SIDE)))
    frames = np.stack([np.roll(photo, i, axis=1) for i in range(LONG_S * FPS)])
    return write_video(Video(frames, FPS), tmp_path_factory.mktemp("clips") / "long.mp4")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def long_shown(long_clip: Path) -> np.ndarray:
    """``long_clip``'s frames as decoded: the reference the tests compare with, decoded once, not once a test."""
    return read_video(long_clip).frames


def test_a_short_voice_over_a_long_video_reads_only_the_frames_it_shows(
    long_clip: Path, long_shown: np.ndarray
) -> None:
    whole_clip = LONG_S * FPS * SIDE * SIDE * 3
    tracemalloc.start()
    try:
        source = from_video(str(long_clip), SIDE, SIDE, 10, FPS, None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The whole clip decoded first (as it was) peaks at twice its frames; ten frames are a few MB.
    assert peak < whole_clip / 4, f"peak {peak / 2**20:.0f} MiB for a {whole_clip / 2**20:.0f} MiB clip"
    shown = long_shown
    assert len(source.frames) == 10
    for i in range(10):
        assert np.array_equal(source.frames[source.index[i]], shown[i])


def test_a_voice_longer_than_the_video_plays_it_back_and_forth(
    long_shown: np.ndarray, tmp_path: Path
) -> None:
    frames = long_shown[:6]
    clip = write_video(Video(frames, FPS), tmp_path / "short.mp4")  # type: ignore[arg-type]
    shown = read_video(clip).frames
    source = from_video(str(clip), SIDE, SIDE, 14, FPS, None)
    expected = [0, 1, 2, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 3]
    for i, k in enumerate(expected):
        assert np.array_equal(source.frames[source.index[i]], shown[k]), i


def test_a_video_at_another_rate_is_sampled_by_time(long_shown: np.ndarray, tmp_path: Path) -> None:
    frames = long_shown[:50]
    clip = write_video(Video(frames, 50), tmp_path / "fifty.mp4")  # type: ignore[arg-type]
    shown = read_video(clip).frames
    source = from_video(str(clip), SIDE, SIDE, 20, FPS, None)
    for i in range(20):
        assert np.array_equal(source.frames[source.index[i]], shown[2 * i]), i


def _face_at(photo: np.ndarray, shift: int) -> np.ndarray:
    return np.roll(photo, shift, axis=1)


def test_a_dub_leaves_cutaways_alone_and_finds_the_face_again_after_a_cut(tmp_path: Path) -> None:
    """A clip: the face, a cutaway with no face (a coffee cup), then the face moved across the frame."""
    from skimage import data

    from reelgen.core.speech.audio import write_wav
    from reelgen.core.types import Audio
    from tests.core.helpers import render_fields

    photo = np.asarray(Image.fromarray(data.astronaut()).resize((SIDE, SIDE)))
    cup = np.asarray(Image.fromarray(data.coffee()).resize((SIDE, SIDE)))
    frames = np.stack([photo] * 10 + [cup] * 20 + [_face_at(photo, 100)] * 10)
    clip = write_video(Video(frames, FPS), tmp_path / "cut.mp4")  # type: ignore[arg-type]
    t = np.arange(int(1.6 * 16_000)) / 16_000
    tone = (0.5 * np.sin(2 * np.pi * 200 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)
    voice = write_wav(tmp_path / "voice.wav", Audio(tone[None], 16_000))

    result = render_fields(
        tmp_path / "dub.mp4", model="musetalk-tiny", source_video=str(clip), speech_audio=str(voice)
    )
    shown = read_video(clip).frames
    made, regions = result.video.frames, result.video.extra["avatar"]["mouth_regions"]
    assert len(made) == 40
    for i in range(10, 30):  # the cutaway: no mouth drawn on the cup
        assert np.array_equal(made[i], shown[i]), f"frame {i} of the cutaway was changed"
        assert tuple(regions[i]) == (0, 0, 0, 0)
    before, after = regions[5], regions[35]
    # After the cut the mouth goes where the face now is, 100 pixels to the right.
    assert abs((after[0] - before[0]) - 100) <= 3, (before, after)
    assert not np.array_equal(made[35], shown[35])


def test_a_frame_the_detector_misses_still_gets_the_mouth(long_shown: np.ndarray, tmp_path: Path) -> None:
    frames = long_shown[:12].copy()
    frames[6] = 128  # one grey frame: no face in it, between two that show it
    clip = write_video(Video(frames, FPS), tmp_path / "blink.mp4")  # type: ignore[arg-type]
    source = from_video(str(clip), SIDE, SIDE, 12, FPS, None)
    assert source.present.all()
    assert np.allclose(source.boxes[6], (source.boxes[5] + source.boxes[7]) / 2, atol=2)

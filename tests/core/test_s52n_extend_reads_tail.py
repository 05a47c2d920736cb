"""Extend (LTX-Video, Wan VACE, SkyReels-V2) takes the same context frames as before from the end of its
source clip, without holding the whole clip in memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelgen.core import media
from reelgen.core.backends import source_clip
from reelgen.core.encode import write_video
from reelgen.core.types import Video
from tests.core.helpers import resolved


def _clip(path: Path, frames: int, size: int = 16) -> str:
    """A clip whose every frame differs (a brightness ramp and a moving bar), at 24 fps."""
    video = np.zeros((frames, size, size, 3), np.uint8)
    for i in range(frames):
        video[i] = (i * 7) % 200 + 20
        video[i, :, (i // 3) % size] = 250
    write_video(Video(video, Fraction(24)), path)
    return str(path)


def _ltx(path: str, **extra: Any) -> list[Any]:
    from reelgen.core.backends.ltx import conditions
    from reelgen.core.spec import registry

    request = resolved(
        model="ltx-tiny",
        prompt="a",
        seed=1,
        task="extend",
        source_video=path,
        num_frames=17,
        fps=12.0,
        **extra,
    )
    (condition,) = conditions.extend_inputs(registry.resolve("ltx-tiny")[1], request)["conditions"]
    return list(condition.video)


def _vace(path: str) -> list[Any]:
    from reelgen.core.backends.wan import vace

    request = resolved(
        model="wan-vace-tiny", prompt="a", seed=1, width=48, height=32, num_frames=5, fps=12.0,
        task="extend", source_video=path,
    )  # fmt: skip
    inputs, drop = vace.conditions(request, None)
    return list(inputs["video"][:drop])


def _skyreels(path: str) -> list[Any]:
    from reelgen.core.backends.skyreels import runner

    request = resolved(
        model="skyreels-tiny", seed=5, width=48, height=32, num_frames=17, fps=16.0, task="extend",
        source_video=path,
    )  # fmt: skip
    return runner._source_tail(request, 5)


def _whole(path: str, fps: float, count: int, width: int, height: int) -> list[Any]:
    """The context as it was taken from the clip read whole."""
    clip = media.read_video(path)
    return media.fit_video(Video(source_clip.tail(clip, fps, count), clip.fps), width, height)


CASES: list[tuple[Callable[[str], list[Any]], float, int, int, int]] = [
    (_ltx, 12.0, 0, 64, 64),  # count 0: as many as the run took (checked below)
    (_vace, 12.0, 8, 48, 32),
    (_skyreels, 16.0, 5, 48, 32),
]


@pytest.mark.parametrize(("take", "fps", "count", "width", "height"), CASES, ids=["ltx", "vace", "skyreels"])
def test_extend_context_is_the_same_frames_as_read_whole(
    tmp_path: Path, take: Callable[[str], list[Any]], fps: float, count: int, width: int, height: int
) -> None:
    path = _clip(tmp_path / "c.mp4", 60)
    got = take(path)
    want = _whole(path, fps, count or len(got), width, height)
    assert len(got) == len(want) > 1
    assert all(np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(got, want, strict=True))


def test_read_tail_keeps_what_tail_takes_and_counts_every_frame(tmp_path: Path) -> None:
    path = _clip(tmp_path / "c.mp4", 45)
    clip = media.read_video(path)
    for fps, most in [(24.0, 9), (12.0, 9), (16.0, 5), (10.0, 30), (24.0, 100)]:
        end, total = source_clip.read_tail(path, fps, most)
        assert total == clip.num_frames == 45
        for count in range(1, min(most, source_clip.frames_at(total, 24.0, fps)) + 1):
            assert np.array_equal(source_clip.tail(end, fps, count), source_clip.tail(clip, fps, count))


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _clip(tmp_path_factory.mktemp("long") / "long.mp4", 2000, 32)


@pytest.mark.parametrize("take", [_ltx, _vace, _skyreels], ids=["ltx", "vace", "skyreels"])
def test_extend_of_a_long_clip_holds_only_its_end(long_clip: str, take: Callable[[str], list[Any]]) -> None:
    """2000 frames of 32x32 are 6 MB of pixels: read whole, all were held to use a few."""
    tracemalloc.start()
    try:
        take(long_clip)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, f"{peak:,} bytes at the peak"


def test_the_end_of_a_portrait_phone_clip_is_upright(tmp_path: Path) -> None:
    from tests.core.test_s52f_phone_clip_upright import _phone_clip

    upright = np.zeros((96, 64, 3), dtype=np.uint8)
    upright[:32] = (230, 30, 30)
    path = str(_phone_clip(tmp_path / "portrait.mp4", upright, frames=12))
    end, total = source_clip.read_tail(path, 8.0, 4)
    assert total == 12 and end.frames.shape == (4, 96, 64, 3)
    assert np.array_equal(end.frames, media.read_video(path).frames[-4:])

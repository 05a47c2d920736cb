"""Writing videos and sidecars: readable by whoever the umask allows, all or nothing, metadata inside."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelgen.core.encode import read_metadata, write_json_atomic, write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import probe
from reelgen.core.types import Video


def clip(frames: int = 4) -> Video:
    rng = np.random.default_rng(0)
    return Video(rng.integers(0, 256, (frames, 16, 16, 3), dtype=np.uint8), Fraction(8))


@pytest.fixture
def umask() -> Iterator[Any]:
    """Sets the process umask for one test and puts the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)], ids=["022", "002", "077"]
)
def test_video_and_sidecar_follow_the_umask(umask: Any, tmp_path: Path, mask: int, expected: int) -> None:
    umask(mask)
    video = write_video(clip(), tmp_path / "clip.mp4", {"request": {"seed": 1}})
    sidecar = write_json_atomic(tmp_path / "clip.json", {"request": {"seed": 1}})
    assert (mode(video), mode(sidecar)) == (expected, expected)


def test_replacing_a_private_file_gives_the_umask_mode(umask: Any, tmp_path: Path) -> None:
    umask(0o022)
    out = tmp_path / "clip.mp4"
    out.write_bytes(b"old")
    out.chmod(0o600)
    write_video(clip(), out)
    assert mode(out) == 0o644 and probe(out)["frames"] == 4


def test_written_video_carries_its_record_and_leaves_nothing_else(tmp_path: Path) -> None:
    out = write_video(clip(5), tmp_path / "sub" / "clip.mp4", {"request": {"seed": 3}, "model": "m"})
    info = probe(out)
    assert (info["frames"], info["width"], info["height"], info["fps"]) == (5, 16, 16, 8.0)
    assert read_metadata(out) == {"request": {"seed": 3}, "model": "m"}
    assert [p.name for p in out.parent.iterdir()] == ["clip.mp4"]


@pytest.mark.parametrize("suffix", [".webm", ".mkv"])
def test_webm_mkv_and_odd_sizes_are_written(tmp_path: Path, suffix: str) -> None:
    odd = Video(np.full((3, 15, 17, 3), 128, np.uint8), Fraction(8))
    out = write_video(odd, tmp_path / f"clip{suffix}", {"request": {}})
    assert probe(out)["frames"] == 3 and read_metadata(out) == {"request": {}}


def test_unknown_container_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(
        InvalidRequest, match=r"clip.avi does not end in .mp4, .*; give a name such as clip.mp4"
    ) as caught:
        write_video(clip(), tmp_path / "clip.avi")
    assert caught.value.param == "output"
    assert list(tmp_path.iterdir()) == []


def test_a_failed_encode_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import av

    out = tmp_path / "clip.mp4"
    out.write_bytes(b"the previous take")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("encoder gave up")

    monkeypatch.setattr(av.VideoFrame, "from_ndarray", broken)
    with pytest.raises(RuntimeError, match="encoder gave up"):
        write_video(clip(), out)
    assert out.read_bytes() == b"the previous take"
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]


def test_a_failed_sidecar_write_leaves_the_old_one_and_no_temporary(tmp_path: Path) -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise ValueError("cannot say")

    sidecar = tmp_path / "clip.json"
    sidecar.write_text('{"old": true}')
    with pytest.raises(ValueError, match="cannot say"):
        write_json_atomic(sidecar, {"bad": Unprintable()})
    assert json.loads(sidecar.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["clip.json"]


def test_the_stream_says_which_colour_matrix_it_uses(tmp_path: Path) -> None:
    """Untagged HD streams are shown as BT.709 by browsers; ours are BT.601, and tagged so."""
    import av

    frames = np.zeros((2, 720, 1280, 3), np.uint8)
    frames[..., 0] = 200
    write_video(Video(frames, Fraction(24)), tmp_path / "hd.mp4")
    with av.open(str(tmp_path / "hd.mp4")) as container:
        codec = container.streams.video[0].codec_context
        assert (codec.colorspace, codec.color_primaries, codec.color_trc) == (6, 6, 6)  # SMPTE 170M


def test_converting_frames_on_a_pool_of_threads_writes_the_same_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big machines convert RGB -> YUV on threads ahead of x264; the file must decode to the same pixels."""
    import av

    from reelgen.core import encode

    rng = np.random.default_rng(1)
    video = Video(rng.integers(0, 256, (23, 48, 64, 3), dtype=np.uint8), Fraction(24))

    def decoded(path: Path) -> np.ndarray:
        with av.open(str(path)) as container:
            return np.stack([f.to_ndarray(format="yuv420p") for f in container.decode(video=0)])

    monkeypatch.setattr(encode, "convert_workers", lambda: 0)
    serial = decoded(write_video(video, tmp_path / "serial.mp4"))
    monkeypatch.setattr(encode, "convert_workers", lambda: 4)
    pooled = decoded(write_video(video, tmp_path / "pooled.mp4"))
    assert serial.shape[0] == 23
    assert np.array_equal(pooled, serial)


def test_a_clip_read_on_threads_has_the_frames_one_thread_reads(tmp_path: Path) -> None:
    """read_video decodes on frame threads and converts to RGB on a pool: same pixels, same order."""
    import av

    from reelgen.core import media

    rng = np.random.default_rng(2)
    # Frames that differ from each other, so a frame out of place cannot pass.
    frames = rng.integers(0, 256, (31, 64, 96, 3), dtype=np.uint8)
    frames[:, :8, :8] = np.arange(31, dtype=np.uint8)[:, None, None, None] * 8
    path = write_video(Video(frames, Fraction(24)), tmp_path / "clip.mp4")
    with av.open(str(path)) as container:
        serial = np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])

    read = media.read_video(path)
    assert read.frames.shape == (31, 64, 96, 3)
    assert np.array_equal(read.frames, serial)
    assert np.array_equal(media.read_video(path, max_frames=7).frames, serial[:7])


def test_ahead_keeps_the_order_and_raises_the_first_error() -> None:
    from reelgen.core.ahead import ahead

    assert list(ahead(lambda x: x * x, range(50), workers=3)) == [x * x for x in range(50)]

    def fails_at_20(x: int) -> int:
        if x == 20:
            raise ValueError("frame 20")
        return x

    got: list[int] = []
    with pytest.raises(ValueError, match="frame 20"):
        for value in ahead(fails_at_20, range(50), workers=3):
            got.append(value)
    assert got == list(range(20))


def test_an_output_that_fails_for_a_reason_the_folder_check_cannot_see_is_still_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from reelgen.core import atomic
    from reelgen.core.errors import WriteFailed

    real, calls = atomic.new_file_beside, []

    def full_disk(path: Path) -> Path:
        calls.append(path)
        if len(calls) == 1:  # the video's own file; the folder check's small probe file after it still fits
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path)

    monkeypatch.setattr(atomic, "new_file_beside", full_disk)
    out = tmp_path / "clip.mp4"
    with pytest.raises(WriteFailed) as info:
        write_video(clip(), out)
    assert info.value.message == (
        f"no space left on the device writing {out}; no clip.mp4 was made: free some space and run again"
    )
    assert info.value.param == "output" and list(tmp_path.iterdir()) == []


def test_a_record_that_cannot_be_written_leaves_the_earlier_video_and_its_record_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.core import encode
    from reelgen.core.errors import WriteFailed
    from reelgen.core.render import render
    from tests.core.helpers import resolved

    out = tmp_path / "clip.mp4"
    tiny = {"model": "wan-tiny", "width": 32, "height": 32, "num_frames": 5, "steps": 1}
    render(resolved(prompt="a fox", **tiny), out)
    fox = out.read_bytes()

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(encode.json, "dump", full)  # the disk fills between the video and its record
    with pytest.raises(
        WriteFailed, match=f"no space left on the device writing {out}; clip.mp4 is as it was"
    ):
        render(resolved(prompt="a hen", **tiny), out)
    # The video and its record are replaced together or not at all: the hen's video beside the fox's
    # record (or none) was a pair that no longer said what made what.
    assert out.read_bytes() == fox and read_metadata(out)["request"]["prompt"] == "a fox"
    assert json.loads(out.with_suffix(".json").read_text())["request"]["prompt"] == "a fox"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.json", "clip.mp4"]  # no temporary file left

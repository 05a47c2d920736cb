"""A video that stops inside its sound, after its last whole frame, is refused as cut short."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import read_video, video_timing
from reelgen.core.types import Audio, Video


def _whole(tmp_path: Path) -> tuple[Path, list[tuple[str, int, int]]]:
    """A 12-frame noisy clip with its sound interleaved, and its packets (kind, position, size) in file order."""
    frames = np.random.default_rng(0).integers(0, 255, (12, 48, 64, 3)).astype(np.uint8)
    t = np.arange(48000) / 48000
    sound = Audio((0.3 * np.sin(2 * np.pi * 440 * t))[None].astype(np.float32), 48000)
    path = write_video(Video(frames, Fraction(12), sound), tmp_path / "whole.mp4")
    with av.open(str(path)) as container:
        packets = [(p.stream.type, p.pos, p.size) for p in container.demux() if p.size]
    return path, packets


def _cut(whole: Path, at: int) -> Path:
    cut = whole.with_name("cut.mp4")
    cut.write_bytes(whole.read_bytes()[:at])
    return cut


def test_a_clip_that_stops_inside_its_sound_is_refused_as_cut_short(tmp_path: Path) -> None:
    whole, packets = _whole(tmp_path)
    # The file stops inside a sound packet between the 5th and 6th frames: every frame there is whole.
    videos = [i for i, p in enumerate(packets) if p[0] == "video"]
    kind, pos, size = next(p for p in packets[videos[4] :] if p[0] == "audio")
    cut = _cut(whole, pos + size // 2)
    # Timed, it was taken as a 5-frame clip (only where the last frame ends was looked at); read
    # whole, the sound's decode said "not a readable video (Invalid data ...)".
    cut_short = r"source_video: .*cut\.mp4 is cut short: its header lists 12 frames"
    with pytest.raises(InvalidRequest, match=cut_short):
        video_timing(cut, whole=True)
    with pytest.raises(InvalidRequest, match=cut_short):
        read_video(cut, whole=True)
    assert len(read_video(whole, whole=True).frames) == 12

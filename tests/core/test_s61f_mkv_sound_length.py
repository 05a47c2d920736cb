"""An MKV film's AAC sound is as long as its picture, as docs/storyboards.md says: AAC pads its last
frame of 1024 samples with silence, and Matroska, which keeps no length for an audio block, played that
silence too (a 3.25 s film had 3.264 s of sound). The padding is now marked for players to drop."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import pytest

from reelgen.core.audio_track import read_audio
from reelgen.core.export.settings import ExportSettings, Soundtrack
from reelgen.core.export.timeline import Segment
from reelgen.core.export.write import export
from reelgen.core.project.model import TitleCard
from tests.jobs.projects import music


@pytest.mark.parametrize("container", ["mkv", "webm", "mp4"])
def test_the_sound_decodes_to_the_pictures_length(tmp_path: Path, container: str) -> None:
    sea = music(tmp_path / "sea.wav", 6.0)
    # 1.25 s + 2 s at 8 fps: 26 frames, 3.25 s, 156,000 samples at 48 kHz (152.3 AAC frames).
    segments = [Segment("a", 1.25, card=TitleCard(text="A")), Segment("b", 2.0, card=TitleCard(text="B"))]
    settings = ExportSettings(container=container, width=48, height=32, fps=8)
    film = export(segments, settings, tmp_path / f"film.{container}", soundtrack=Soundtrack(file=str(sea)))
    assert film.frames == 26
    with av.open(str(film.path)) as opened:
        pictures = sum(1 for _ in opened.decode(video=0))
    sound = read_audio(film.path)
    assert sound is not None and sound.sample_rate == 48_000
    if container == "mp4":
        # FFmpeg decodes an MP4's last AAC frame whole (its players trim by the track's length, kept
        # exact here): only the length it records is checked.
        with av.open(str(film.path)) as opened:
            stream = opened.streams.audio[0]
            assert stream.duration * stream.time_base == Fraction(13, 4)  # 3.25 s
    else:
        assert sound.samples.shape[-1] == pictures * 48_000 // 8 == 156_000

"""A soundtrack with no sound in it is refused before the export starts, not looped for ever."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.export import Soundtrack, check_soundtrack


def wav(path: Path, samples: bytes) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(samples)
    return path


def test_a_music_file_of_no_samples_is_refused(tmp_path: Path) -> None:
    # A WAV header alone passed the check; amovie then looped its nothing for ever and the export hung.
    music = wav(tmp_path / "empty.wav", b"")
    with pytest.raises(InvalidRequest) as refused:
        check_soundtrack(Soundtrack(file=str(music)))
    assert refused.value.param == "soundtrack.file"
    assert (
        refused.value.message
        == f"soundtrack.file: {music} holds no sound (an empty audio stream); give a file with music"
    )


def test_a_music_file_of_one_sample_is_taken(tmp_path: Path) -> None:
    check_soundtrack(Soundtrack(file=str(wav(tmp_path / "one.wav", b"\x10\x00"))))

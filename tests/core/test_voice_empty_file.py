"""An empty voice file is called empty, not a file of bad data."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.speech.audio import read_voice


def test_an_empty_voice_file_is_said_to_be_empty(tmp_path: Path) -> None:
    empty = tmp_path / "voice.wav"
    empty.touch()
    with pytest.raises(InvalidRequest) as info:
        read_voice(empty)
    # It read "(Invalid data found when processing input)", as if the recording were damaged.
    assert info.value.message == (
        f"speech_audio: {empty} is not a readable audio file (the file is empty); "
        "give a WAV, MP3, FLAC, OGG or M4A file"
    )


def test_a_file_of_bad_data_still_says_ffmpegs_reason(tmp_path: Path) -> None:
    junk = tmp_path / "voice.wav"
    junk.write_text("not a recording")
    with pytest.raises(InvalidRequest, match=r"is not a readable audio file \(Invalid data found"):
        read_voice(junk)

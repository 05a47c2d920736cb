"""A voice WAV cut short (its header promises more than the file holds) is refused, saying how much is missing."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.speech.audio import read_voice
from tests.api.test_hostile_avatar_inputs import wav


@pytest.fixture(scope="module")
def face(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from skimage import data

    path = tmp_path_factory.mktemp("wav-cut") / "face.png"
    Image.fromarray(data.astronaut()).resize((256, 256)).save(path)
    return path


def test_a_voice_cut_short_is_refused_naming_the_file_and_what_is_missing(face: Path, tmp_path: Path) -> None:
    whole = wav(2, 2)
    voice, out = tmp_path / "voice.wav", tmp_path / "talk.mp4"
    voice.write_bytes(whole[: 44 + 16_000 * 2 // 2])  # the header and 0.5 s of the 2 s it promises
    result = CliRunner().invoke(
        app, ["avatar", "--image", str(face), "--audio", str(voice), "-o", str(out), "-q"]
    )
    said = " ".join(result.output.split())
    # It made a 0.5 s avatar, the voice stopping mid-word, exit 0 and nothing said.
    assert result.exit_code == 2, said
    assert (
        f"error: --audio: {voice} is cut short: its header says 2.00 s of sound, but the file holds "
        "0.50 s (1.50 s missing: a copy or download that stopped part-way?); give the whole file"
    ) in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["voice.wav"]


def test_a_whole_wav_and_one_whose_length_was_left_unknown_are_read(tmp_path: Path) -> None:
    whole = tmp_path / "whole.wav"
    whole.write_bytes(wav(1, 1))
    assert abs(read_voice(whole).seconds - 1) < 0.01
    # Streamed to a pipe, a writer cannot go back to fill in the sizes: FFmpeg leaves 0xFFFFFFFF.
    streamed = bytearray(wav(1, 1))
    streamed[40:44] = struct.pack("<I", 0xFFFFFFFF)
    path = tmp_path / "streamed.wav"
    path.write_bytes(bytes(streamed))
    assert abs(read_voice(path).seconds - 1) < 0.01

"""``reelgen avatar --server``: a voice that is no audio is refused here, before anything is uploaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app

# Port 1: nothing listens there, so a command that got as far as uploading would exit 1, "cannot reach".
NOWHERE = "http://127.0.0.1:1"


def _said(tmp_path: Path, voice: Path) -> tuple[int, str]:
    face = tmp_path / "face.png"
    Image.new("RGB", (64, 64), (200, 150, 120)).save(face)
    argv = [
        "avatar",
        "--image",
        str(face),
        "--audio",
        str(voice),
        "--server",
        NOWHERE,
        "-o",
        str(tmp_path / "a.mp4"),
    ]
    result = CliRunner().invoke(app, argv)
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"hello, not a voice\n", "is not a readable audio file (Invalid data found when processing input)"),
        (b"", "is not a readable audio file (the file is empty)"),
    ],
)
def test_a_file_that_is_no_audio_is_refused_before_the_upload(
    tmp_path: Path, content: bytes, why: str
) -> None:
    voice = tmp_path / "voice.wav"
    voice.write_bytes(content)
    code, said = _said(tmp_path, voice)
    assert code == 2, said
    assert f"--audio: {voice} {why}; give a WAV, MP3, FLAC, OGG or M4A file" in said
    assert "cannot reach" not in said


def test_a_picture_given_as_the_voice_is_said_to_hold_no_audio(tmp_path: Path) -> None:
    picture = tmp_path / "photo.png"
    Image.new("RGB", (32, 32)).save(picture)
    code, said = _said(tmp_path, picture)
    assert code == 2, said
    assert f"--audio: {picture} has no audio stream; give a WAV, MP3, FLAC, OGG or M4A file" in said


def test_a_real_voice_goes_on_to_the_server(tmp_path: Path) -> None:
    import wave

    voice = tmp_path / "voice.wav"
    with wave.open(str(voice), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x10\x00" * 16000)
    code, said = _said(tmp_path, voice)
    assert code == 1 and "cannot reach http://127.0.0.1:1" in said, said

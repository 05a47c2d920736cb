"""An empty ``text`` beside a voice file is no text: a form or script that sends the field empty is not refused."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.api.avatar_inputs import Uploads
from reelgen.api.avatars import AvatarCreate, _check_choices
from reelgen.api.errors import ApiError
from reelgen.cli import app


@pytest.mark.parametrize("text", ["", "   "])
def test_the_api_takes_a_voice_file_beside_an_empty_text(text: str) -> None:
    # curl -F audio=@voice.wav -F text="$TEXT" with TEXT empty was a 400 "give the voice as `audio`
    # or text to speak as `text`, not both", though no text was given.
    _check_choices(AvatarCreate(text=text), Uploads(audio=b"RIFF"), cap=100)


def test_the_api_still_refuses_a_voice_file_and_text() -> None:
    with pytest.raises(ApiError) as caught:
        _check_choices(AvatarCreate(text="Hello"), Uploads(audio=b"RIFF"), cap=100)
    assert "not both" in caught.value.message


def test_a_voice_name_beside_an_empty_text_is_said_in_the_apis_words() -> None:
    with pytest.raises(ApiError) as caught:
        _check_choices(AvatarCreate(text="  ", voice="en_US-joe-medium"), Uploads(audio=b"RIFF"), cap=100)
    assert caught.value.message == "voice speaks `text`; with an `audio` file, leave it out"


def test_the_cli_sends_a_voice_with_an_empty_text_to_the_server(tmp_path: Path) -> None:
    # Without --server, --audio voice.wav --text "" makes the avatar; with it, it was "not both".
    voice = tmp_path / "voice.wav"
    # A real WAV: avatar --server refuses a voice that is no audio before the upload.
    with wave.open(str(voice), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x10\x00" * 8000)
    argv = ["avatar", "--audio", str(voice), "--text", "", "--server", "http://127.0.0.1:1"]
    result = CliRunner().invoke(app, argv)
    said = " ".join(result.output.split())
    assert result.exit_code == 1, said  # the call was made: nothing listens on port 1
    assert "cannot reach http://127.0.0.1:1" in said

"""`reelgen avatar --server` says a server's refusal with the option the person typed, not the API's field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.core.speech.audio import write_wav
from reelgen.core.speech.tts import speak
from reelgen.core.types import Audio
from tests.api.serving import checking_only


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A photo with one face, one without any, a spoken voice, a silent one and a file that is no audio."""
    from skimage import data

    folder = tmp_path_factory.mktemp("avatar-flags")
    Image.fromarray(data.astronaut()).save(folder / "face.png")
    Image.fromarray(np.full((200, 300, 3), 90, np.uint8)).save(folder / "wall.png")
    write_wav(folder / "voice.wav", speak("Hello there.").audio)
    write_wav(folder / "silent.wav", Audio(np.zeros((1, 16000), np.float32), 16000))
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API on loopback with no workers: a create is checked (and refused) as `reelgen serve` does.

    One for the module: every create sent here is refused (nothing queues, nothing is kept), so each test
    meets the server as it started; starting one a test cost a second of CPU each."""
    with checking_only(tmp_path_factory.mktemp("server")) as url:
        yield url


def run(files: Path, server: str | None, *args: str) -> tuple[int, str]:
    typed = [str(files / a) if a.endswith((".png", ".wav")) else a for a in args]
    where = ["--server", server] if server else []
    out = CliRunner().invoke(cli_app, ["avatar", *typed, *where, "-q"])
    return out.exit_code, " ".join(out.output.split())


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["--image", "face.png", "--audio", "voice.wav", "--face-index", "2"],
            "--face-index 2 is out of range",
        ),
        (["--image", "wall.png", "--audio", "voice.wav"], "--image: no face found in the image"),
        (["--image", "face.png", "--audio", "silent.wav"], "--audio: the voice track is silent"),
        (
            ["--image", "face.png", "--text", "hi", "--voice", "de_DE-thorsten-medium"],
            "--voice 'de_DE-thorsten-medium' is not",
        ),
        (["--image", "face.png", "--text", "Привет, как дела?"], "--text: the voice en_US-joe-medium"),
        (["--image", "face.png", "--audio", "voice.wav", "-m", "wan-tiny"], "--model: 'wan-tiny' is not"),
        (["--video", "face.png", "--audio", "voice.wav"], "--video: a PNG image is not a video"),
    ],
)
def test_a_refusal_names_the_option_typed(files: Path, server: str, args: list[str], says: str) -> None:
    """`--face-index 2` on a photo of one face came back as 'face_index 2 is out of range', a name the
    person never typed."""
    code, said = run(files, server, *args)
    assert code == 2 and said.startswith(f"error: HTTP 400: {says}"), said
    assert "face_index" not in said


@pytest.mark.parametrize(
    "args",
    [
        ["--image", "face.png", "--audio", "voice.wav", "--text", "hi"],
        ["--image", "face.png"],
        ["--image", "face.png", "--audio", "voice.wav", "--voice", "en_US-joe-medium"],
        ["--image", "face.png", "--video", "face.png", "--audio", "voice.wav"],
    ],
)
def test_a_voice_or_face_given_wrong_is_said_as_without_a_server(
    files: Path, server: str, args: list[str]
) -> None:
    """The server said these with its fields in backticks (give the voice as `audio` or text to speak as
    `text`); they are refused before any upload, in the words of the command run without a server."""
    remote = run(files, server, *args)
    assert remote == run(files, None, *args)
    assert remote[0] == 2 and "--" in remote[1] and "`" not in remote[1], remote

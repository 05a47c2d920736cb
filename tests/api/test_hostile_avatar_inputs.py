"""Hostile avatar inputs: each is refused before any work with one line naming what was wrong (CLI exit 2, HTTP 400)."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app as cli_app

RATE = 16_000


def wav(
    seconds_claimed: float, seconds_held: float, rate: int = RATE, channels: int = 1, fmt: int = 1
) -> bytes:
    """A WAV whose header claims ``seconds_claimed`` and whose data holds ``seconds_held`` of a loud tone."""
    bits = 32 if fmt == 3 else 16
    align = channels * bits // 8
    t = np.arange(int(rate * seconds_held)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2
    samples = tone.astype("<f4") if fmt == 3 else (tone * 32767).astype("<i2")
    data = np.repeat(samples[:, None], channels, axis=1).tobytes()
    claimed = min(0xFFFFFF00, int(rate * seconds_claimed) * align)
    header = struct.pack("<IHHIIHH", 16, fmt, channels, rate, rate * align, align, bits)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + claimed)
        + b"WAVEfmt "
        + header
        + b"data"
        + struct.pack("<I", claimed)
        + data
    )


def png(image: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt)
    return buf.getvalue()


@pytest.fixture(scope="module")
def face() -> Image.Image:
    """scikit-image's astronaut at 256 pixels: one frontal face, small enough to search fast."""
    from skimage import data

    return Image.fromarray(data.astronaut()).resize((256, 256))


def error(resp: Any) -> str:
    """The message of a 400, which names the field it was sent in."""
    assert resp.status_code == 400, resp.text
    body = resp.json()["error"]
    assert body["message"].startswith(body["param"]), body
    return str(body["message"])


def bomb() -> bytes:
    """A PNG whose header claims 30000x30000 pixels (a decompression bomb), a few bytes long."""
    import zlib

    data = bytearray(png(Image.new("1", (1, 1))))
    ihdr = struct.pack(">II", 30_000, 30_000) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def cli(*args: str) -> tuple[int, str]:
    out = CliRunner().invoke(cli_app, ["avatar", "-q", *args])
    return out.exit_code, " ".join(out.output.split())


def test_a_voice_over_the_limit_is_refused_from_its_header_before_a_sample_is_decoded(
    tmp_path: Path, face: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    import av

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the samples were decoded")

    face.save(tmp_path / "face.png")
    (tmp_path / "voice.wav").write_bytes(wav(2, 2))
    monkeypatch.setattr(av, "AudioResampler", never)
    code, said = cli(
        "--image",
        str(tmp_path / "face.png"),
        "--audio",
        str(tmp_path / "voice.wav"),
        "--max-seconds",
        "1",
        "-o",
        str(tmp_path / "talk.mp4"),
    )
    assert code == 2, said
    assert "--audio: the voice track is 2.0 s long; the limit is 1 s" in said
    assert not list(tmp_path.glob("talk*"))


def test_a_header_that_claims_hours_is_refused_as_cut_short(tmp_path: Path) -> None:
    from reelgen.core.errors import InvalidRequest
    from reelgen.core.speech.audio import read_voice

    path = tmp_path / "liar.wav"
    path.write_bytes(wav(7200, 2))  # FFmpeg bounds a WAV's length by the file: it read 2 s, silently
    for limit in (None, 1):
        with pytest.raises(
            InvalidRequest, match=r"speech_audio: .*liar\.wav is cut short: its header says 7200\.00 s"
        ):
            read_voice(path, limit_s=limit)


@pytest.mark.parametrize(
    ("photo", "extra", "says"),
    [
        ("wall", [], "no face found in wall.png; give a photo or video with a clear frontal face"),
        (
            "two",
            ["--face-index", "2"],
            "--face-index 2 is out of range: 2 faces found in two.png, numbered 0..1",
        ),
    ],
)
def test_a_photo_without_the_face_asked_for_is_refused_before_the_model_loads(
    tmp_path: Path, face: Image.Image, photo: str, extra: list[str], says: str
) -> None:
    Image.fromarray(np.full((128, 128, 3), 90, np.uint8)).save(tmp_path / "wall.png")
    two = Image.new("RGB", (512, 256))
    two.paste(face, (0, 0))
    two.paste(face, (256, 0))
    two.save(tmp_path / "two.png")
    (tmp_path / "voice.wav").write_bytes(wav(1, 1))
    code, said = cli(
        "--image",
        str(tmp_path / f"{photo}.png"),
        "--audio",
        str(tmp_path / "voice.wav"),
        *extra,
        "-o",
        str(tmp_path / "talk.mp4"),
    )
    assert code == 2 and says in said, said
    assert "memory plan" not in said  # said before the model is planned, let alone loaded
    assert not list(tmp_path.glob("talk*"))


@pytest.mark.parametrize(
    ("form", "says"),
    [
        (
            {"text": "!!! ... ???"},
            "text has no words to speak (only punctuation, symbols or emoji); give text with",
        ),
        ({"text": "\U0001f600\U0001f600"}, "text has no words to speak (only punctuation, symbols or emoji)"),
        ({"text": "hi\x00there"}, "text contains a NUL character"),
        (
            {"text": "word " * 20_000},
            "text: it has 100,000 characters, and at most 5,000 are taken; shorten it",
        ),
    ],
)
def test_text_with_nothing_to_say_is_a_400_naming_what_is_spoken(
    client: TestClient, form: dict[str, str], says: str
) -> None:
    assert says in error(client.post("/v1/avatars", data=form))


def test_hostile_uploads_are_400s_and_odd_but_real_voices_are_taken(
    client: TestClient, face: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = ("face.png", png(face))
    said = error(
        client.post("/v1/avatars", files={"audio": ("v.wav", wav(1, 1)), "image": ("b.png", bomb())})
    )
    assert said.startswith("image: image header claims more pixels than can be decoded safely")
    said = error(client.post("/v1/avatars", files={"audio": ("v.mp3", b"not an mp3\n" * 30), "image": photo}))
    assert said.startswith("audio: not a readable audio file")
    monkeypatch.setenv("REELGEN_AVATAR_MAX_SECONDS", "1.5")
    said = error(client.post("/v1/avatars", files={"audio": ("v.wav", wav(2, 2)), "image": photo}))
    assert "the voice track is 2.0 s long; this server takes at most 1.5 s" in said
    # 96 kHz in 8 channels and 32-bit float mono are voices like any other: queued, one second long.
    for voice in (wav(1, 1, rate=96_000, channels=8), wav(1, 1, fmt=3), wav(1, 1, rate=8000)):
        resp = client.post("/v1/avatars", files={"audio": ("v.wav", voice), "image": photo})
        assert resp.status_code == 202 and resp.json()["seconds"] == "1", resp.text

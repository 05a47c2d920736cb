"""An uploaded MP3 voice cut short is a 400 from the upload's probe, as a WAV is, naming no server path."""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

RATE = 16000


def _mp3(path: Path) -> tuple[bytes, list[int]]:
    """A 2 s tone as LAME writes it (an Info tag listing its frames), and its frames' starts."""
    t = np.arange(2 * RATE) / RATE
    pcm = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[None]
    with av.open(str(path), "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm, format="fltp", layout="mono")
        frame.sample_rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    with av.open(str(path)) as container:
        starts = [p.pos for p in container.demux() if p.size]
    return path.read_bytes(), starts


def _face() -> bytes:
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).resize((256, 256)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize("inside", [False, True], ids=["between-frames", "inside-a-frame"])
def test_an_uploaded_mp3_voice_cut_short_is_a_400_naming_the_upload(
    client: TestClient, tmp_path: Path, inside: bool
) -> None:
    whole, starts = _mp3(tmp_path / "whole.mp3")
    voice = whole[: starts[len(starts) // 2] + (30 if inside else 0)]
    resp = client.post("/v1/avatars", files={"audio": ("talk.mp3", voice), "image": ("f.png", _face())})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "audio"
    message = error["message"]
    # It was read_voice's 400 at create time, naming the server's copy (.../data/inputs/<hex>-vcut.mp3).
    # Said as an uploaded WAV, FLAC or M4A cut short is said.
    assert message.startswith("audio: the file is cut short: its header says 2.00 s of sound, but"), message
    assert message.endswith("give the whole file"), message
    assert " /" not in message and "inputs" not in message, message


def test_a_whole_uploaded_voice_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reelgen.api.avatar_inputs import probe_audio
    from tests.core.test_s50_enh2_m4a_cut import _m4a

    m4a, _ = _m4a(tmp_path / "voice.m4a")
    mp3, _ = _mp3(tmp_path / "voice.mp3")
    opened: list[object] = []
    real = av.open

    def counting(*args: object, **kwargs: object) -> object:
        opened.append(args[0])
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(av, "open", counting)
    assert probe_audio(m4a, 60.0) == ".m4a"
    # Its packets were demuxed a second time after the decode, only to ask whether it was cut short.
    assert len(opened) == 1, opened
    assert probe_audio(mp3, 60.0) == ".mp3"  # a whole MP3 with its tag passes

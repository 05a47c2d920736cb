"""An avatar's voice over HTTP: named in the record as it was sent, and an empty ``voice`` field is no voice."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from reelgen.jobs.artifacts import sent_name


@pytest.fixture(scope="module")
def face() -> bytes:
    """scikit-image's astronaut at 256 pixels: one frontal face, small enough to search fast."""
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).resize((256, 256)).save(buf, format="PNG")
    return buf.getvalue()


def _voice_in(container: str, codec: str) -> bytes:
    """A second of a loud, wavering tone (a voice to the checks) encoded as ``codec`` in ``container``."""
    rate = 16_000
    t = np.arange(rate) / rate
    tone = (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2).astype(np.float32)
    buf = io.BytesIO()
    with av.open(buf, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(tone[None], format="flt", layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=rate)
        for piece in resampler.resample(frame):
            for packet in stream.encode(piece):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def _recorded_voice(client: TestClient, video_id: str) -> str:
    """The name the video's record will give its voice (as ``reelgen replay`` looks for it beside the video)."""
    job = client.app.state.service.get(video_id)  # type: ignore[attr-defined]
    return sent_name("speech_audio", job.payload["speech_audio"])


@pytest.mark.parametrize(
    ("sent_as", "container"), [("talk.mp4", "mp4"), ("talk.mov", "mov"), ("talk.m4a", "mp4")]
)
def test_a_voice_in_an_mp4_keeps_the_name_it_was_sent_under(
    client: TestClient, face: bytes, sent_as: str, container: str
) -> None:
    voice = _voice_in(container, "aac")
    resp = client.post(
        "/v1/avatars",
        files={"image": ("face.png", face, "image/png"), "audio": (sent_as, voice, "audio/mp4")},
    )
    assert resp.status_code == 202, resp.text
    # It was kept as .m4a with the name dropped: the record said speech_audio.m4a, and a replay of the
    # downloaded video did not find talk.mp4 beside it.
    assert _recorded_voice(client, resp.json()["id"]) == sent_as


@pytest.mark.parametrize("with_audio", [True, False])
def test_an_empty_voice_field_is_no_voice(client: TestClient, face: bytes, with_audio: bool) -> None:
    files = {"image": ("face.png", face, "image/png")}
    data = {"voice": ""}
    if with_audio:
        files["audio"] = ("voice.wav", _voice_in("wav", "pcm_s16le"), "audio/wav")
    else:
        data["text"] = "Hello there, friend."
    resp = client.post("/v1/avatars", files=files, data=data)
    # It was "voice '' is not a voice of this server", where `reelgen avatar --voice ""` speaks with the
    # default voice (and takes a voice track beside it).
    assert resp.status_code == 202, resp.text

"""``POST /v1/avatars`` with a video and a voice file: its face is looked for in the frames the voice reaches."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

FPS = 25


@pytest.fixture(scope="module")
def late_face() -> bytes:
    """Four seconds at 25 fps: two of a cup of coffee (no face), then two of the astronaut's face."""
    from skimage import data

    empty = np.asarray(Image.fromarray(data.coffee()).resize((256, 256)))
    face = np.asarray(Image.fromarray(data.astronaut()).resize((256, 256)))
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 256, 256, "yuv420p"
        for i in range(4 * FPS):
            picture = empty if i < 2 * FPS else face
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def _voice(seconds: float) -> bytes:
    """A loud, wavering tone of ``seconds`` as a 16 kHz WAV."""
    rate = 16_000
    t = np.arange(int(rate * seconds)) / rate
    tone = (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2 * 32767).astype("<i2")
    buf = io.BytesIO()
    with av.open(buf, "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(tone[None], format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def _post(client: TestClient, video: bytes, seconds: float) -> object:
    files = {"video": ("clip.mp4", video, "video/mp4"), "audio": ("voice.wav", _voice(seconds), "audio/wav")}
    return client.post("/v1/avatars", files=files)


def test_a_voice_that_ends_before_the_face_comes_is_refused_at_once(
    client: TestClient, late_face: bytes
) -> None:
    resp = _post(client, late_face, 1.0)  # the dub shows the clip's first second: the coffee only
    # It was queued (the face at 2 s was found), and the job failed on the worker: "no face found".
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "video"
    assert error["message"].startswith("no face found in the video"), error


def test_a_voice_that_reaches_the_face_is_queued(client: TestClient, late_face: bytes) -> None:
    assert _post(client, late_face, 3.0).status_code == 202

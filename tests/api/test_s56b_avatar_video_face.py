"""POST /v1/avatars with a video to dub that shows no face is refused at once, in the words the run says
it; it was queued and failed on the worker."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient


def _video(path: Path, picture: np.ndarray, frames: int = 10) -> bytes:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.height, stream.width = picture.shape[:2]
        stream.pix_fmt = "yuv420p"
        for _ in range(frames):
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path.read_bytes()


def _voice() -> bytes:
    rate = 16000
    tone = (0.3 * np.sin(2 * np.pi * 220 * np.arange(rate) / rate) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(tone.tobytes())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    from skimage import data

    return np.ascontiguousarray(data.astronaut()[:256, 128:384])


def test_a_video_without_a_face_is_refused_before_a_job_exists(client: TestClient, tmp_path: Path) -> None:
    video = _video(tmp_path / "wall.mp4", np.full((128, 128, 3), 120, np.uint8))
    resp = client.post("/v1/avatars", files={"video": ("wall.mp4", video), "audio": ("v.wav", _voice())})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "video", error
    assert error["message"].startswith(
        "no face found in the video; give a photo or video with a clear frontal face"
    )
    assert client.get("/v1/videos").json()["data"] == []


def test_a_face_index_past_the_faces_of_the_video_is_refused(
    client: TestClient, tmp_path: Path, astronaut: np.ndarray
) -> None:
    video = _video(tmp_path / "talk.mp4", astronaut)
    files = {"video": ("talk.mp4", video), "audio": ("v.wav", _voice())}
    resp = client.post("/v1/avatars", files=files, data={"face_index": "3"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "face_index" and "face_index 3 is out of range" in error["message"], error


def test_a_video_with_a_face_is_queued(client: TestClient, tmp_path: Path, astronaut: np.ndarray) -> None:
    video = _video(tmp_path / "talk.mp4", astronaut)
    resp = client.post("/v1/avatars", files={"video": ("talk.mp4", video), "audio": ("v.wav", _voice())})
    assert resp.status_code == 202, resp.text

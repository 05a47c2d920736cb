"""A source video shorter than the clip asked for is refused by POST /v1/videos, as `generate` refuses it."""

from __future__ import annotations

import io

import av
import numpy as np
from fastapi.testclient import TestClient


def _clip(frames: int, fps: int = 8) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for _ in range(frames):
            image = np.full((64, 64, 3), 90, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())
    return buffer.getvalue()


def test_a_clip_too_short_for_the_frames_asked_is_a_400_and_queues_nothing(client: TestClient) -> None:
    # It was queued (202) and failed in the worker with the same words, after a model load.
    form = {"prompt": "oil painting", "model": "wan-tiny", "num_frames": "9"}
    resp = client.post("/v1/videos", data=form, files={"source_video": ("in.mp4", _clip(3), "video/mp4")})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "source_video"
    assert error["message"] == (
        "source_video: the source video file lasts 0.38 s (3 frames at 8 fps), and 9 frames at 8 fps "
        "take 1.12 s of it; the fewest this model makes, 5 frames at 8 fps, need a clip longer than 0.50 s: "
        "give a longer video"
    )
    assert client.get("/v1/videos").json()["data"] == []


def test_a_clip_long_enough_is_queued(client: TestClient) -> None:
    form = {"prompt": "oil painting", "model": "wan-tiny", "num_frames": "9"}
    resp = client.post("/v1/videos", data=form, files={"source_video": ("in.mp4", _clip(9), "video/mp4")})
    assert resp.status_code == 202, resp.text

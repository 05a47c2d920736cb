"""A restyle of a clip too short even for the fewest frames a model makes says the clip's length and the
least it needs: it said "ask for 1 frame or fewer", a still no one restyling a video can ask for."""

from __future__ import annotations

import io

import av
import numpy as np
from fastapi.testclient import TestClient


def _clip(frames: int, fps: int) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(frames):
            image = np.full((64, 64, 3), 20 * i, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())
    return buffer.getvalue()


def _restyle(client: TestClient, clip: bytes, frames: int) -> dict[str, str]:
    form = {"prompt": "oil painting", "model": "wan-tiny", "num_frames": str(frames), "fps": "8"}
    resp = client.post("/v1/videos", data=form, files={"source_video": ("in.mp4", clip, "video/mp4")})
    assert resp.status_code == 400, resp.text
    return dict(resp.json()["error"])


def test_a_clip_shorter_than_any_video_the_model_makes_says_the_least_it_needs(client: TestClient) -> None:
    error = _restyle(client, _clip(7, 30), 9)  # 0.23 s
    assert error["param"] == "source_video"
    assert error["message"] == (
        "source_video: the source video file lasts 0.23 s (7 frames at 30 fps), and 9 frames at 8 fps "
        "take 1.12 s of it; the fewest this model makes, 5 frames at 8 fps, need a clip longer than "
        "0.50 s: give a longer video"
    )
    assert "1 frame" not in error["message"]


def test_a_clip_long_enough_for_fewer_frames_still_names_that_count(client: TestClient) -> None:
    error = _restyle(client, _clip(6, 8), 9)  # 0.75 s: 5 frames at 8 fps fit
    assert error["message"].endswith("; ask for 5 frames or fewer, or give a longer video"), error

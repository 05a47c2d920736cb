"""The avatar's ``video`` over HTTP takes what a local run takes (an animated GIF), and a sound file
sent as ``video`` is told it holds sound only."""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
from fastapi.testclient import TestClient
from PIL import Image

from tests.api.test_hostile_avatar_inputs import wav


def animated_gif(frames: int = 6, side: int = 128) -> bytes:
    from skimage import data

    # A face in it: a video with none is refused at submit (s56b), as the run refuses it.
    face = Image.fromarray(data.astronaut()[:256, 128:384]).resize((side, side))
    images = [face] * frames
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=40, loop=0)
    return buf.getvalue()


def test_an_animated_gif_is_taken_as_the_video(client: TestClient) -> None:
    files = {"audio": ("v.wav", wav(1, 1)), "video": ("talk.gif", animated_gif())}
    resp = client.post("/v1/avatars", files=files)
    # It was "video: CompuServe Graphics Interchange Format (GIF) (gif) is not a video this takes".
    assert resp.status_code == 202, resp.text
    assert resp.json()["status"] in ("queued", "in_progress", "completed")


def test_a_sound_file_sent_as_video_is_told_it_holds_sound_only(client: TestClient, tmp_path: Path) -> None:
    voice = tmp_path / "voice.m4a"
    with av.open(str(voice), "w", format="mp4") as out:
        sound = out.add_stream("aac", rate=16000)
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 16000), dtype=np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate = 16000
        for packet in [*sound.encode(frame), *sound.encode(None)]:
            out.mux(packet)
    files = {"audio": ("v.wav", wav(1, 1)), "video": ("voice.m4a", voice.read_bytes())}
    resp = client.post("/v1/avatars", files=files)
    assert resp.status_code == 400, resp.text
    message = resp.json()["error"]["message"]
    # It said only "video: needs a video stream (and at most 4 streams)".
    assert message.startswith("video: the file holds sound only, no pictures; send a video"), message
    assert client.get("/v1/videos").json()["data"] == []

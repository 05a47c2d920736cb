"""``POST /v1/avatars`` with a video and ``text``: the face is looked for in the frames the spoken text reaches."""

from __future__ import annotations

import io
from typing import Any

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

FPS = 25
#: Spoken in about a second by the server's voice: the dub shows the clip's first second or so.
SHORT = "Hello."
#: Spoken in about four seconds: the dub reaches past the clip's second second.
LONG = "Good morning, everyone, and thank you all so much for coming along to see us today."


def _clip(seconds: float, face_from: float | None, side: int = 256) -> bytes:
    """``seconds`` of a cup of coffee (no face) at 25 fps, the astronaut's face from ``face_from`` on."""
    from skimage import data

    empty = np.asarray(Image.fromarray(data.coffee()).resize((side, side)))
    face = np.asarray(Image.fromarray(data.astronaut()).resize((side, side)))
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = side, side, "yuv420p"
        for i in range(round(seconds * FPS)):
            picture = face if face_from is not None and i >= face_from * FPS else empty
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def _post(client: TestClient, video: bytes, text: str) -> Any:
    return client.post("/v1/avatars", data={"text": text}, files={"video": ("clip.mp4", video, "video/mp4")})


@pytest.fixture(scope="module")
def late_face() -> bytes:
    """Four seconds: two of coffee, then two of a face."""
    return _clip(4.0, face_from=2.0)


def test_text_spoken_before_the_face_comes_is_refused_at_once(client: TestClient, late_face: bytes) -> None:
    resp = _post(client, late_face, SHORT)
    # It was queued (the whole clip was searched and the face at 2 s found); the job then failed on the
    # worker, "no face found in the video".
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "video", error
    assert error["message"].startswith("no face found in the video; give a photo or video"), error
    assert client.get("/v1/videos").json()["data"] == []


def test_text_spoken_long_enough_to_reach_the_face_is_queued(client: TestClient, late_face: bytes) -> None:
    resp = _post(client, late_face, LONG)
    assert resp.status_code == 202, resp.text
    assert resp.json()["status"] == "queued"


def test_a_long_faceless_clip_under_short_text_is_searched_only_where_the_speech_reaches(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A minute of a clip without a face had all 1,500 frames searched on the API host before the text
    was spoken (minutes of CPU for a 2-minute HD clip): now the frames a second of speech shows."""
    from reelgen.core.face import source

    searched: list[int] = []
    find_faces = source.find_faces

    def counted(picture: np.ndarray) -> Any:
        searched.append(1)
        return find_faces(picture)

    monkeypatch.setattr(source, "find_faces", counted)
    resp = _post(client, _clip(60.0, face_from=None, side=64), SHORT)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"].startswith("no face found in the video"), resp.text
    assert 0 < len(searched) <= 3 * FPS, len(searched)  # the speech's frames, not the minute's 1,500

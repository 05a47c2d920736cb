"""Edges of the API a client or an operator meets by mistake or on purpose: half an emoji, an unset key
variable, a setting no socket takes, a video whose header hides its length; each is said in words, never
a 500, a misleading reason or a limit passed."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from reelgen.api.errors import ApiError
from reelgen.api.security import probe_video
from reelgen.api.settings import ApiSettings, setting_problem
from tests.api.conftest import files_under

TINY = {"prompt": "a fox", "model": "wan-tiny", "size": "64x64", "num_frames": 9}
JSON = {"content-type": "application/json"}


def test_half_an_emoji_is_named_by_its_field_not_called_invalid_json(
    client: TestClient, data_dir: Path
) -> None:
    # A page's text.slice() can cut an emoji in two, and JSON.stringify sends the half as "\ud83e":
    # valid JSON, yet it was "Invalid JSON: unexpected end of hex escape at line 1 column 20", no param.
    before = files_under(data_dir)
    cases = [
        ("/v1/videos", b'{"prompt": "a fox \\ud83e", "model": "wan-tiny"}', "prompt"),
        ("/v1/videos", b'{"prompt": "a", "metadata": {"k": "\\udc00"}, "model": "wan-tiny"}', "metadata"),
        ("/v1/videos", b'{"prompt": "a", "\\udc00": 1}', None),
        ("/api/video/generate", b'{"prompt": "a fox \\ud83e", "model": "wan-tiny"}', "prompt"),
    ]
    for path, body, param in cases:
        error = client.post(path, content=body, headers=JSON).json()["error"]
        assert error["param"] == param, (path, body, error)
        assert error["message"] == f"{param or 'a field name'} holds half of a character (a lone UTF-16 " + (
            "surrogate such as \\ud83e, as left when text is cut inside an emoji); send whole characters"
        )
    whole = client.post(
        "/v1/videos", content=b'{"prompt": "a fox \\ud83e\\udd8a", "model": "wan-tiny"}', headers=JSON
    )
    assert whole.status_code == 202 and whole.json()["prompt"] == "a fox \U0001f98a"
    assert len(client.get("/v1/videos").json()["data"]) == 1 and files_under(data_dir) == before


def test_a_remix_with_half_an_emoji_names_its_prompt(client: TestClient) -> None:
    video = client.post("/v1/videos", json=TINY).json()["id"]
    resp = client.post(f"/v1/videos/{video}/remix", content=b'{"prompt": "\\udfff"}', headers=JSON)
    assert resp.status_code == 400 and resp.json()["error"]["param"] == "prompt"
    assert resp.json()["error"]["message"].startswith("prompt holds half of a character")


def test_bearer_with_no_key_after_it_is_not_called_a_bare_key(make_client: Callable[..., TestClient]) -> None:
    # `Authorization: Bearer $REELGEN_API_KEY` with the variable unset: "holds a bare key" sent a person
    # looking for a missing "Bearer " that was there.
    client = make_client(api_key="s3cret")
    for header in ("Bearer", "Bearer ", "bearer"):
        error = client.get("/v1/videos", headers={"Authorization": header}).json()["error"]
        assert error["message"].startswith(
            "the Authorization header says Bearer but holds no key (is the variable holding it unset?); "
        ), (header, error)
        assert error["code"] == "invalid_api_key"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "inf",
            "REELGEN_FETCH_TIMEOUT_S='inf': not a finite number; it takes a number above 0 and "
            "at most 3600 (default 10.0)",
        ),
        (
            "1e10",
            "REELGEN_FETCH_TIMEOUT_S='1e10': too large; it takes a number "
            "above 0 and at most 3600 (default 10.0)",
        ),
    ],
)
def test_a_fetch_timeout_no_socket_takes_stops_the_server_before_it_listens(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    # Either started the server, then every image_url fetch was a 500 "internal error (OverflowError)".
    monkeypatch.setenv("REELGEN_FETCH_TIMEOUT_S", value)
    with pytest.raises(ValidationError) as caught:
        ApiSettings()
    assert setting_problem(caught.value, ApiSettings, {}) == said


class _Stream(io.RawIOBase):
    """A file that cannot seek back, as a pipe or a recording: a WebM written to it has no length."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:
        self.data += chunk
        return len(chunk)


def _webm_without_length(frames: int, rate: int) -> bytes:
    out = _Stream()
    with av.open(out, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx-vp9", rate=rate)
        stream.width = stream.height = 16
        stream.pix_fmt = "yuv420p"
        stream.options = {"deadline": "realtime", "cpu-used": "8"}
        frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
        for pts in range(frames):
            frame.pts = pts
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return bytes(out.data)


def test_a_video_whose_header_gives_no_length_is_measured_by_its_frames(
    client: TestClient, data_dir: Path
) -> None:
    # 200 s at a frame a second, written as a stream is: its header says no length, and it was taken
    # as 0 s against the 120 s limit (an enhance then ran every frame of it).
    long = _webm_without_length(200, 1)
    with av.open(io.BytesIO(long)) as container:
        assert container.duration is None
    before = files_under(data_dir)
    resp = client.post(
        "/v1/videos",
        data={"prompt": "a fox", "model": "wan-tiny"},
        files={"source_video": ("clip.webm", long, "video/webm")},
    )
    assert resp.status_code == 400 and resp.json()["error"]["param"] == "source_video"
    assert resp.json()["error"]["message"] == (
        "source_video: its frames run to 121.0 s and on, though its header says no length; "
        "this server takes videos up to 120 s"
    )
    assert files_under(data_dir) == before and client.get("/v1/videos").json()["data"] == []
    assert probe_video(_webm_without_length(9, 8), max_seconds=120, max_side=4096) == ".webm"


def test_a_video_of_more_frames_than_its_length_allows_is_refused() -> None:
    # 300 frames in 0.3 s: within a 1 s limit by time, beyond it by 240 frames a second.
    with pytest.raises(ApiError) as caught:
        probe_video(_webm_without_length(300, 1000), max_seconds=1, max_side=4096, param="file")
    assert caught.value.message == "file: holds more than 240 frames (240 a second for 1 s), the most taken"

"""A video whose stream is in a codec FFmpeg does not know is a 400 saying what to send, not a 500."""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
from fastapi.testclient import TestClient

from tests.api.conftest import files_under


def _unknown_codec() -> bytes:
    """A small MKV whose video track names a codec no FFmpeg has (its CodecID rewritten)."""
    buf = io.BytesIO()
    with av.open(buf, "w", format="matroska") as container:
        stream = container.add_stream("mpeg4", rate=8)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        black = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
        for packet in [*stream.encode(black), *stream.encode()]:
            container.mux(packet)
    data = buf.getvalue()
    assert data.count(b"V_MPEG4/ISO/ASP") == 1
    return data.replace(b"V_MPEG4/ISO/ASP", b"V_NOSUCH/CODECX")


def test_an_upload_in_a_codec_ffmpeg_lacks_is_a_400(client: TestClient, data_dir: Path) -> None:
    # PyAV gives such a stream no codec context: reading its size was an AttributeError, a 500.
    upload = {"file": ("clip.mkv", _unknown_codec(), "video/x-matroska")}
    resp = client.post("/v1/videos/enhance", data={"upscale": "2"}, files=upload)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "file"
    assert "a codec this server cannot decode; send H.264, VP9 or AV1" in error["message"]
    assert [p.name for p in files_under(data_dir) if p.name != "webhook-secret"] == []

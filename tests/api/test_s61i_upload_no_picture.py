"""An upload that is no picture at all (an empty file, an iPhone's HEIC photo, a video) is told what it is,
not "not a readable image", the words for a broken picture."""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient

VALID = "valid formats: JPEG, PNG, WEBP, BMP, GIF, TIFF"
#: The first bytes of an iPhone's photo: an ISO media file of brand "heic".
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


def _clip() -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(6):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), i * 30, np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "input_reference: the file is empty (0 bytes): an upload that sent nothing"),
        (
            HEIC,
            "input_reference: a HEIC/HEIF photo (as an iPhone takes) is not taken here; send it as JPEG or PNG",
        ),
        (
            None,
            "input_reference: it is a video, not an image; send a still image, or send the clip as source_video",
        ),
        (b"\x89PNG\r\n\x1a\n broken", "input_reference: not a readable image"),  # a broken picture: as it was
    ],
)
def test_an_upload_that_is_no_picture_says_what_it_is(
    client: TestClient, data: bytes | None, said: str
) -> None:
    sent = _clip() if data is None else data
    refused = client.post(
        "/v1/videos",
        data={"model": "reelgen-micro", "prompt": "x", "size": "64x64"},
        files={"input_reference": ("photo.jpg", sent)},
    )
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["param"] == "input_reference" and error["code"] == "invalid_image"
    assert error["message"].startswith(said) and error["message"].endswith(VALID), error["message"]
    assert client.get("/v1/videos").json()["data"] == []


def test_a_keyframe_that_is_a_video_is_told_to_be_a_still(client: TestClient, tmp_path: Path) -> None:
    refused = client.post(
        "/v1/videos",
        data={
            "model": "ltx-tiny",
            "prompt": "x",
            "size": "64x64",
            "num_frames": "9",
            "keyframes": '[{"frame": 0}]',
        },
        files={"keyframe_images": ("clip.mp4", _clip())},
    )
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["message"] == (
        f"keyframe_images[0]: it is a video, not an image; send a still image; {VALID}"
    )

"""A multi-picture JPEG (MPO, as phones save HDR photos) is a 400 saying what to send, not a 500."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from tests.api.conftest import files_under

I2V = {"prompt": "a fox", "model": "wan-i2v-tiny", "num_frames": "9", "size": "64x48"}


def _mpo() -> bytes:
    first, second = Image.new("RGB", (64, 48), (200, 10, 10)), Image.new("RGB", (64, 48), (10, 200, 10))
    buf = io.BytesIO()
    first.save(buf, "MPO", save_all=True, append_images=[second])
    return buf.getvalue()


def test_a_multi_picture_jpeg_is_refused_naming_what_to_send(client: TestClient, data_dir: Path) -> None:
    # Pillow opens it with its JPEG plugin and calls it MPO, which the suffix table lacked: a KeyError.
    data = _mpo()
    upload = client.post("/v1/videos", data=I2V, files={"input_reference": ("photo.jpg", data, "image/jpeg")})
    url = f"data:image/jpeg;base64,{base64.b64encode(data).decode()}"
    fetched = client.post("/v1/videos", json={**I2V, "num_frames": 9, "input_reference": {"image_url": url}})
    for resp, param in ((upload, "input_reference"), (fetched, "input_reference")):
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["param"] == param and error["code"] == "invalid_image"
        assert error["message"].startswith(f"{param}: a multi-picture JPEG (MPO")
        assert "save it as plain JPEG" in error["message"]
    assert client.get("/v1/videos").json()["data"] == []
    assert [p.name for p in files_under(data_dir) if p.name != "webhook-secret"] == []

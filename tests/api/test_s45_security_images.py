"""A multi-picture JPEG (MPO, as phones save HDR and depth photos) is taken as the JPEG it is: its first picture."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from reelgen.core.media import load_image

I2V = {"prompt": "a fox", "model": "wan-i2v-tiny", "num_frames": "9", "size": "64x48"}


def _mpo() -> bytes:
    first, second = Image.new("RGB", (64, 48), (200, 10, 10)), Image.new("RGB", (64, 48), (10, 200, 10))
    buf = io.BytesIO()
    first.save(buf, "MPO", save_all=True, append_images=[second])
    return buf.getvalue()


def test_a_multi_picture_jpeg_is_taken_as_its_first_picture(client: TestClient, tmp_path: Path) -> None:
    # Pillow opens it with its JPEG plugin and calls it MPO, which the suffix table lacked: a 500 (KeyError),
    # then a 400 telling a phone's owner to convert a JPEG to JPEG.
    data = _mpo()
    upload = client.post("/v1/videos", data=I2V, files={"input_reference": ("photo.jpg", data, "image/jpeg")})
    url = f"data:image/jpeg;base64,{base64.b64encode(data).decode()}"
    fetched = client.post("/v1/videos", json={**I2V, "num_frames": 9, "input_reference": {"image_url": url}})
    for resp in (upload, fetched):
        assert resp.status_code == 202, resp.text
    assert len(client.get("/v1/videos").json()["data"]) == 2
    # The worker and the CLI read it too (`generate --image photo.jpg`): the first picture, red.
    (tmp_path / "photo.jpg").write_bytes(data)
    red, green, blue = load_image(tmp_path / "photo.jpg").getpixel((32, 24))
    assert red > 150 and green < 60 and blue < 60

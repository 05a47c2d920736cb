"""``POST /v1/avatars`` with a model that is no talking-avatar model is told so before its files are read: with
a photo the face finder could not use, it said "no face found in the image", and only once a face was given
"'ltx-tiny' is not a talking-avatar model"."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image


def test_a_wrong_model_is_said_before_the_photo_is_looked_at(client: TestClient) -> None:
    wall = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(wall, format="PNG")
    resp = client.post(
        "/v1/avatars",
        data={"text": "hello there", "model": "ltx-tiny"},
        files={"image": ("wall.png", wall.getvalue(), "image/png")},
    )
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "model"
    assert error["message"] == (
        "'ltx-tiny' is not a talking-avatar model; give one of reelgen-lipsync, musetalk, musetalk-tiny, or auto"
    )
    assert client.get("/v1/videos").json()["data"] == []

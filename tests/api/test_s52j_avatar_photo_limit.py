"""A photo over the server's pixel cap sent to /v1/avatars is told the avatar's own limit (4096 a side)
at once, not a pixel count it would then fail again for being over 4096 a side."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_edge import bomb_png
from tests.api.test_hostile_avatar_inputs import wav


def test_a_photo_over_the_pixel_cap_is_told_the_avatar_limit(client: TestClient) -> None:
    files = {"audio": ("v.wav", wav(1, 1)), "image": ("face.png", bomb_png(9000, 9000))}
    resp = client.post("/v1/avatars", files=files)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was "image: image is 9000x9000 (81000000 pixels); the limit is 40000000 pixels".
    assert error["message"] == (
        "image: the photo is 9000x9000 pixels; an avatar is made at its photo's size, which must be "
        "64 to 4096 pixels a side (scale it down)"
    )
    assert error["param"] == "image"
    assert client.get("/v1/videos").json()["data"] == []

"""A create's field sent to an enhance route is refused with the enhance body's own fields."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


# source_video on this route: tests/api/test_s51v_enhance_upload_fields.py (send it as `file`).
@pytest.mark.parametrize("field", ["model", "prompt", "seed"])
def test_a_create_field_is_not_an_enhance_field(client: TestClient, field: str) -> None:
    resp = client.post(
        "/v1/videos/enhance", data={"interpolate": "2", field: "1"}, files={"file": ("a.mp4", b"x")}
    )
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was "model is not offered over HTTP yet; valid parameters: see VideoCreate in /openapi.json".
    assert error["param"] == field and error["message"] == (
        f"{field} is not a field of an enhance: the video is enhanced as it is; valid fields: "
        "file, interpolate, interpolator, metadata, priority, target_fps, upscale, upscaler, webhook"
    ), error


def test_the_same_on_a_server_video(client: TestClient) -> None:
    resp = client.post(f"/v1/videos/video_{'0' * 32}/enhance", json={"interpolate": 2, "model": "wan-1.3b"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"].startswith("model is not a field of an enhance"), resp.text

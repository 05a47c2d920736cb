"""On the upload route a field naming the video is told to send it as the file field ``file``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

VALID = "file, interpolate, interpolator, metadata, priority, target_fps, upscale, upscaler, webhook"


@pytest.mark.parametrize("field", ["source_video", "video", "video_url"])
def test_a_field_naming_the_video_is_told_the_file_field(client: TestClient, field: str) -> None:
    resp = client.post(
        "/v1/videos/enhance",
        data={"interpolate": "2", field: "/data/clip.mp4"},
        files={"file": ("a.mp4", b"x")},
    )
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was "source_video is not a field of an enhance: the video is enhanced as it is; valid fields:
    # interpolate, ..., webhook", without `file`, the field that takes the video.
    assert error["param"] == field and error["message"] == (
        f"{field} is not a field of an enhance: send the video as the file field `file` "
        f"(curl -F 'file=@clip.mp4'); valid fields: {VALID}"
    ), error


@pytest.mark.parametrize("field", ["model", "colour"])
def test_the_upload_routes_valid_fields_name_file(client: TestClient, field: str) -> None:
    resp = client.post(
        "/v1/videos/enhance", data={"interpolate": "2", field: "1"}, files={"file": ("a.mp4", b"x")}
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"].endswith(f"; valid fields: {VALID}"), resp.text


def test_a_server_video_is_still_enhanced_as_it_is(client: TestClient) -> None:
    resp = client.post(f"/v1/videos/video_{'0' * 32}/enhance", json={"interpolate": 2, "source_video": "x"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "source_video is not a field of an enhance: the video is enhanced as it is; valid fields: "
        "interpolate, interpolator, metadata, priority, target_fps, upscale, upscaler, webhook"
    ), resp.text

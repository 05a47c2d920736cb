"""The legacy routes and /v1/system/free answer a wrong body in the caller's own field names."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import png


def error_of(resp: Any) -> dict[str, Any]:
    assert resp.status_code == 400, resp.text
    error: dict[str, Any] = resp.json()["error"]
    return error


@pytest.mark.parametrize(
    ("body", "param", "says"),
    [
        # the create path checks these as /v1/videos' seconds, size and input_reference.image_url
        ({"duration": 3000}, "duration", "duration 3000 is longer than one clip"),
        (
            {"duration": 2, "num_frames": 9},
            "duration",
            "give a frame count (num_frames) or a length (duration), not both",
        ),
        ({"width": 65, "height": 64}, "width", "width 65 is not a multiple of"),
        ({"width": 64, "height": 65}, "height", "height 65 is not a multiple of"),
        ({"image_url": "file:///etc/passwd"}, "image_url", "image_url: only https URLs"),
    ],
)
def test_a_legacy_generate_error_names_the_field_that_was_sent(
    client: TestClient, body: dict[str, Any], param: str, says: str
) -> None:
    error = error_of(
        client.post("/api/video/generate", json={"prompt": "a fox", "model": "reelgen-micro", **body})
    )
    assert error["param"] == param and says in error["message"]
    for wire in ("seconds", "size", "input_reference"):
        assert wire not in error["message"]


def test_generate_video_says_duration_too(client: TestClient) -> None:
    error = error_of(
        client.post("/generate-video", json={"prompt": "a fox", "model": "reelgen-micro", "duration": 3000})
    )
    assert error["param"] == "duration" and error["message"].startswith("duration 3000")


def test_an_unreadable_animate_image_is_called_image(client: TestClient) -> None:
    files = {"image": ("fox.png", b"not an image", "image/png")}
    error = error_of(client.post("/api/video/animate", data={"prompt": "a fox"}, files=files))
    assert error["param"] == "image"
    assert error["message"].startswith("image: not a readable image; valid formats: JPEG, PNG, WEBP")


def test_animate_with_a_good_image_is_still_queued(client: TestClient) -> None:
    files = {"image": ("fox.png", png(), "image/png")}
    form = {"prompt": "a fox", "model": "wan-i2v-tiny", "num_frames": "9"}
    resp = client.post("/api/video/animate", data=form, files=files)
    assert resp.status_code == 202, resp.text


def test_an_unknown_legacy_job_names_job_id(client: TestClient) -> None:
    resp = client.get("/api/video/status/video_0123")
    assert resp.status_code == 404 and resp.json()["error"]["param"] == "job_id"


@pytest.mark.parametrize(
    ("body", "param", "says"),
    [
        ({"idle": 300}, "idle", "idle is not a known field; valid fields: idle_seconds"),
        (
            {"idle_seconds": "300"},
            "idle_seconds",
            "idle_seconds: '300' is text, not a number (write it without quotes); it takes a number from 0 to 86400",
        ),
    ],
)
def test_a_misspelt_free_body_unloads_nothing(
    client: TestClient, body: dict[str, Any], param: str, says: str
) -> None:
    # Ignored, {"idle": 300} left idle_seconds at 0: every model not in use was unloaded.
    error = error_of(client.post("/v1/system/free", json=body))
    assert error["param"] == param and error["message"] == says

"""A body written for /v1/videos, sent to the first server's routes, hears the name each field has there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/api/video/generate", "/api/video/animate", "/generate-video"])
@pytest.mark.parametrize(
    ("field", "value", "said"),
    [  # each was "<field> is not a known field; valid fields: duration, fps, guidance, height, ..."
        ("seconds", "4", 'seconds is written as duration here, a number of seconds (e.g. "duration": 4)'),
        ("size", "832x480", 'size is written as width and height here, two numbers (e.g. "width": 832'),
        ("num_inference_steps", 8, "num_inference_steps is written as steps here"),
        ("guidance_scale", 3.0, "guidance_scale is written as guidance here"),
        (
            "input_reference",
            {"image_url": "https://example.com/a.png"},
            "input_reference is written as an `image` file (multipart) or `image_url` here",
        ),
    ],
)
def test_a_v1_field_name_is_answered_with_this_routes_name(
    make_client: Callable[..., TestClient], path: str, field: str, value: Any, said: str
) -> None:
    client = make_client(wait_timeout_s=0)
    resp = client.post(path, json={"prompt": "a fox", "model": "reelgen-micro", field: value})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["message"].startswith(said), error
    assert error["param"] == field and error["code"] == "invalid_value"


def test_the_routes_own_names_still_queue(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    body = {"prompt": "a fox", "model": "reelgen-micro", "duration": 1, "width": 96, "height": 96, "steps": 2}
    resp = client.post("/api/video/generate", json=body)
    assert resp.status_code == 202, resp.text
    assert resp.json()["status"] == "queued"


def test_a_form_to_animate_with_seconds_hears_duration(make_client: Callable[..., TestClient]) -> None:
    # It was "duration is not a known field; valid fields: duration, fps, ...": the /v1 name was turned
    # into the legacy one it stands for, then said to be unknown.
    client = make_client()
    form = {"prompt": "a fox", "model": "reelgen-micro", "seconds": "2"}
    resp = client.post("/api/video/animate", data=form, files={"image": ("a.png", b"\x89PNG", "image/png")})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["message"].startswith("seconds is written as duration here"), error
    assert error["param"] == "seconds"

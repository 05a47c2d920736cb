"""A body with a field the route does not take is a 400 that names it and lists the valid ones."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

_VIDEO = "/v1/videos/video_" + "0" * 32


@pytest.mark.parametrize(
    ("path", "body", "param", "valid"),
    [
        ("/v1/videos", {"prompt": "a fox", "colour": "red"}, "colour", "prompt, seconds, seed, size"),
        (
            "/v1/videos",
            {"prompt": "a fox", "webhook": {"url": "https://hooks.example/x", "secret": "s"}},
            "webhook.secret",
            "valid fields: events, url",
        ),
        (f"{_VIDEO}/remix", {"prompt": "at dawn", "colour": "red"}, "colour", "prompt, seed, steps"),
    ],
)
def test_an_unknown_field_is_named_with_the_fields_that_are_valid(
    client: TestClient, path: str, body: dict[str, object], param: str, valid: str
) -> None:
    answer = client.post(path, json=body)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["param"] == param
    assert error["message"].startswith(f"{param} is not a known field; valid fields: ")
    assert valid in error["message"]


def test_an_unknown_form_field_is_named_with_the_valid_ones_too(client: TestClient) -> None:
    answer = client.post("/v1/videos", data={"prompt": "a fox", "colour": "red"})
    assert answer.status_code == 400
    said = answer.json()["error"]["message"]
    assert said.startswith("colour is not a known field; valid fields: audio, end_image, end_reference")
    # A form also takes files: their names are valid there (they are not in a JSON body).
    assert {"input_reference", "keyframe_images", "source_video"} <= set(
        said.split("valid fields: ")[1].split(", ")
    )
    as_json = client.post("/v1/videos", json={"prompt": "a fox", "colour": "red"}).json()["error"]["message"]
    assert "end_image" not in as_json and "source_video" not in as_json


def test_a_near_miss_on_a_route_fastapi_validates_is_told_the_near_name(client: TestClient) -> None:
    # FastAPI validates this body itself; the near name was given only where reelgen validated.
    answer = client.post("/v1/system/free", json={"idle_second": 60})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "idle_second is not a known field; did you mean idle_seconds?"

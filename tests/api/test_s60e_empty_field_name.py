"""A field whose name is the empty string is named as such, not as ``None`` or nothing at all."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

_VIDEO = "/v1/videos/video_" + "0" * 32


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/videos", {"prompt": "a fox", "": 1}),
        (f"{_VIDEO}/remix", {"prompt": "at dawn", "": 1}),
        ("/v1/avatars", {"text": "Hello there.", "": 1}),
        ("/generate-video", {"prompt": "a fox", "": 1}),
        ("/v1/system/free", {"": 1}),
    ],
)
def test_a_field_with_an_empty_name_is_said_to_be_one(
    client: TestClient, path: str, body: dict[str, object]
) -> None:
    answer = client.post(path, json=body)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["message"].startswith('"" (a field with an empty name) is not a known field; remove it'), (
        error
    )
    assert "None" not in error["message"]
    assert error["param"] == '""'


def test_a_nested_field_with_an_empty_name_names_its_object(client: TestClient) -> None:
    body = {"prompt": "a fox", "webhook": {"url": "https://hooks.example/x", "": 1}}
    error = client.post("/v1/videos", json=body).json()["error"]
    assert error["message"].startswith(
        'webhook."" (a field with an empty name) is not a known field; remove it'
    )
    assert error["param"] == 'webhook.""'


def test_a_project_body_with_an_empty_field_name_says_so(client: TestClient) -> None:
    answer = client.post("/v1/projects", json={"project": "scenes: []", "": 1})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["message"].startswith(
        '"" (a field with an empty name): unknown field; a JSON body holds project'
    )
    assert error["param"] == '""'


def test_a_project_form_part_with_an_empty_name_says_so(client: TestClient) -> None:
    answer = client.post("/v1/projects", data={"project": "scenes: []", "": "1"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["message"].startswith(
        '"" (a field with an empty name): unknown field; send project and files'
    )
    assert error["param"] == '""'

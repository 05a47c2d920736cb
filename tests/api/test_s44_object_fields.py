"""An object field given as a string or a number is refused naming the fields the object takes."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_an_object_given_as_a_string_names_its_fields(client: TestClient) -> None:
    # "webhook": "https://..." heard "webhook must be an object of named fields, not a string" and
    # had to find in /docs that the URL goes in a field named url.
    for field, value, fields in (
        ("webhook", "https://example.com/hook", "url, events"),
        ("input_reference", "https://example.com/a.png", "image_url"),
        ("loras", ["style.safetensors"], "name, strength"),
    ):
        body = {"model": "wan-tiny", "prompt": "a fox", field: value}
        resp = client.post("/v1/videos", json=body)
        assert resp.status_code == 400, resp.text
        said = resp.json()["error"]["message"]
        assert said.endswith(f"must be an object of named fields, not a string; its fields: {fields}"), said


def test_a_body_that_is_no_object_is_said_as_before(client: TestClient) -> None:
    resp = client.post("/v1/system/free", json=[1])
    assert resp.status_code == 400
    assert "its fields" not in resp.json()["error"]["message"]

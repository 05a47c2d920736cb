"""The API tells a number past a field's bound the whole range, as the CLI does."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_api_says_the_range_too(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={"model": "ltx-tiny", "prompt": "a fox", "steps": 5000})
    assert resp.status_code == 400
    assert resp.json()["error"]["message"].endswith("; it takes a whole number from 1 to 1000")


def test_a_form_number_that_is_no_whole_number_is_told_the_range(client: TestClient) -> None:
    resp = client.post(
        "/v1/videos/enhance",
        data={"interpolate": "2.5"},
        files={"file": ("clip.mp4", b"\0" * 64, "video/mp4")},
    )
    assert resp.status_code == 400
    # In /v1/videos' words for a number that is none of the field's (bb36a677 made them the same).
    assert resp.json()["error"]["message"] == (
        "interpolate: '2.5' is not a whole number; give a whole number from 2 to 16"
    )

"""The API tells a number past a field's bound the whole range, as the CLI does."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_api_says_the_range_too(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={"model": "ltx-tiny", "prompt": "a fox", "steps": 5000})
    assert resp.status_code == 400
    assert resp.json()["error"]["message"].endswith("; it takes a whole number from 1 to 1000")

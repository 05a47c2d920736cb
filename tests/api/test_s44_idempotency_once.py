"""An Idempotency-Key header sent twice is refused, not the first kept without a word."""

from __future__ import annotations

from fastapi.testclient import TestClient

BODY = b'{"model": "wan-tiny", "prompt": "a fox"}'


def test_two_idempotency_keys_in_one_request_are_refused(client: TestClient) -> None:
    headers = [("content-type", "application/json"), ("idempotency-key", "k2"), ("idempotency-key", "k3")]
    resp = client.post("/v1/videos", content=BODY, headers=headers)
    assert resp.status_code == 400, resp.text
    assert (
        resp.json()["error"]["message"] == "Idempotency-Key is sent more than once; send one key per request"
    )
    assert resp.json()["error"]["param"] == "Idempotency-Key"
    assert client.get("/v1/videos").json()["data"] == []  # nothing was queued
    one = client.post("/v1/videos", content=BODY, headers=headers[:2])
    assert one.status_code == 202, one.text

"""Words the API answers with: pointers an HTTP client can follow, ids quoted short, counts in grammar."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_an_unknown_model_points_at_the_models_route_not_a_command(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tinyy"})
    said = resp.json()["error"]["message"]
    assert resp.status_code == 400 and "(GET /v1/models lists every model" in said
    assert "reelgen models" not in said  # a command line the client may not have


def test_an_id_that_cannot_be_one_is_quoted_short(client: TestClient) -> None:
    resp = client.get(f"/v1/videos/{'x' * 3000}")
    said = resp.json()["error"]["message"]
    assert resp.status_code == 404 and len(said) < 200, said  # the 3000 characters came back whole
    assert said == f"no video '{'x' * 40}'...: video ids are 'video_' followed by 32 hex digits"


def test_a_full_queue_of_one_says_one_job(make_client: Callable[..., TestClient]) -> None:
    client = make_client(jobs={"max_queue": 1})  # no workers: the first job stays queued
    body = {"prompt": "a fox", "model": "wan-tiny"}
    assert client.post("/v1/videos", json=body).status_code == 202
    full = client.post("/v1/videos", json={**body, "prompt": "a cat"})
    assert full.status_code == 429
    assert "(1 job waiting, limit 1)" in full.json()["error"]["message"]

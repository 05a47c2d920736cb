"""An HTTP client told of an unknown model is sent to GET /v1/models, never to a command line it may not have."""

from __future__ import annotations

from fastapi.testclient import TestClient

from reelgen.api.app import create_app


def test_an_unknown_model_with_no_near_name_points_to_the_route() -> None:
    with TestClient(create_app()) as client:
        answer = client.post("/v1/videos", json={"model": "nope-zzzz", "prompt": "a fox"})
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    # It said "(the first of each family ...; `reelgen models` lists all 68 with their tasks and rules)".
    assert "no known model is named like it" in message
    assert "GET /v1/models lists all" in message and "reelgen models" not in message


def test_a_near_name_still_points_to_the_route() -> None:
    with TestClient(create_app()) as client:
        answer = client.post("/v1/videos", json={"model": "ltx-tiyn", "prompt": "a fox"})
    message = answer.json()["error"]["message"]
    assert "did you mean ltx-tiny" in message and "GET /v1/models lists every model" in message

"""A query parameter named twice is a 400 naming it, not the last value taken without a word."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_query_parameter_given_twice_is_refused_naming_it(client: TestClient) -> None:
    # ?limit=1&limit=50 listed 50 and ?status=failed&status=cancelled only the cancelled ones.
    for url, name in (
        ("/v1/videos?limit=1&limit=50", "limit"),
        ("/v1/videos?status=failed&order=asc&status=cancelled", "status"),
        ("/v1/models?x=&x=", "x"),
    ):
        resp = client.get(url)
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"] == {
            "message": f"query parameter {name!r} is given more than once; give it once (each takes one value)",
            "type": "invalid_request_error",
            "param": name,
            "code": "invalid_value",
        }


def test_each_query_parameter_once_still_answers(client: TestClient) -> None:
    assert client.get("/v1/videos?limit=1&order=asc&status=failed").status_code == 200
    assert client.get("/v1/videos?limit=1&").status_code == 200

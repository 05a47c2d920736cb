"""A query number that is no whole number (``?limit=1.5``, ``?after=abc``) is told the range it takes."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_query_number_that_is_no_number_names_its_range(client: TestClient) -> None:
    # Each said only "Input should be a valid integer, unable to parse string as an integer".
    for url, said in [
        (
            "/v1/videos?limit=1.5",
            "limit: '1.5' is not a whole number",
        ),
        (
            "/v1/projects?limit=",
            "limit: '' is not a number",
        ),
        (
            "/v1/batches?limit=ten",
            "limit: 'ten' is not a number",
        ),
    ]:
        resp = client.get(url)
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["message"] == f"{said}; it takes a whole number from 1 to 100", url
    events = client.get("/v1/videos/video_00000000000000000000000000000000/events?after=1e3")
    assert events.status_code == 400, events.text
    assert events.json()["error"]["message"] == (
        "after: '1e3' is not written in digits; it takes a whole number from 0 to 2147483647"
    )

"""A query number bounded at one end is told what it takes, as a body's number is (core/errors.py field_range).

No route of the API has such a query today (each list's ``limit`` and a video stream's ``after`` are
bounded at both ends), so one is added to the app ``create_app`` makes, answered by its own handlers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.testclient import TestClient


def _with_probe(client: TestClient) -> TestClient:
    app = client.app
    assert isinstance(app, FastAPI)

    @app.get("/v1/probe")
    def probe(
        count: Annotated[int | None, Query(ge=1)] = None,
        share: Annotated[float | None, Query(lt=1, allow_inf_nan=False)] = None,
    ) -> dict[str, object]:
        return {"count": count, "share": share}

    return client


def test_a_query_number_bounded_at_one_end_says_what_it_takes(client: TestClient) -> None:
    probe = _with_probe(client)
    assert probe.get("/v1/probe?count=3").json() == {"count": 3, "share": None}
    for url, said in [
        # Each said only pydantic's words for the end that was passed, or that it was no number.
        (
            "/v1/probe?count=0",
            "count: 0 is too small; it takes a whole number of at least 1",
        ),
        (
            "/v1/probe?count=two",
            "count: 'two' is not a number; it takes a whole number of at least 1",
        ),
        ("/v1/probe?share=1", "share: 1 is too large; it takes a number below 1"),
        ("/v1/probe?share=nan", "share: 'nan' is not a finite number; it takes a number below 1"),
    ]:
        resp = probe.get(url)
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"]["message"] == said, url

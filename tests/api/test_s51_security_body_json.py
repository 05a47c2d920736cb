"""A large JSON body is checked off the event loop: other requests are answered meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.api import body_json


def test_a_large_json_body_is_checked_while_other_requests_are_answered(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check (parse, names given twice, depth) ran on the event loop: a 19 MB body of small objects
    # sent to /v1/system/free held every other request, a health check included, for 30 s.
    client = make_client()
    checking, answered, checked = threading.Event(), threading.Event(), threading.Event()
    depth = body_json.nesting_depth

    def slow_depth(value: Any) -> int:
        checking.set()
        answered.wait(timeout=5)  # held on the event loop, this wait held the health check too
        checked.set()
        return depth(value)

    monkeypatch.setattr(body_json, "nesting_depth", slow_depth)
    items = [{"output": f"shot-{i}", "prompt": "a red fox in the snow"} for i in range(3000)]
    big = {"manifest": {"items": items}, "input_folder": "/nowhere"}
    poster = threading.Thread(target=lambda: client.post("/v1/batches", json=big))
    poster.start()
    try:
        assert checking.wait(timeout=10)
        health = client.get("/healthz")
        during = not checked.is_set()
    finally:
        answered.set()
        poster.join(timeout=30)
    assert health.status_code == 200
    assert during, "the health check waited for the large body's check to end"


def test_a_large_body_giving_a_name_twice_is_still_refused_naming_it(client: TestClient) -> None:
    # Checked on a worker thread, the refusal is the one the event loop gave.
    pad = "x" * 70_000  # past the size checked on a worker thread
    raw = f'{{"idle_seconds": 1, "idle_seconds": 2, "note": "{pad}"}}'
    resp = client.post("/v1/system/free", content=raw, headers={"Content-Type": "application/json"})
    assert resp.status_code == 400
    assert resp.json()["error"]["message"] == "idle_seconds is given twice in the request body; send it once"
    deep = "[" * 40 + "]" * 40
    resp = client.post(
        "/v1/system/free",
        content=f'{{"note": "{pad}", "x": {deep}}}',
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 400 and "nests deeper than 32 levels" in resp.json()["error"]["message"]

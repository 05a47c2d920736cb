"""GET /v1/shootouts (and one shoot-out) count its item jobs by status in the database: the page read
every item job's whole row (payload and all) of up to 100 parents and held them until it was built."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs import kinds
from reelgen.jobs.records import Job
from reelgen.jobs.store import ChildRow, JobStore
from tests.jobs.helpers import request

#: Each item job's payload is padded to this size: what the page must not hold.
PAD = 200_000


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def _rows(n: int) -> list[ChildRow]:
    render = kinds.get(kinds.RENDER)
    req = request("child")
    payload = {**render.dump(req), "pad": "x" * PAD}
    return [ChildRow(f"k{i}", kinds.RENDER, payload, render.facts(req)) for i in range(n)]


def _shootout(client: TestClient, root: Path, n: int) -> Job:
    body = {"models": ["ltx-tiny"], "prompts": {"prompts": ["a fox", "a hen"]}}
    made = client.post("/v1/shootouts", json={**body, "output_folder": str(root / f"r{n}")})
    assert made.status_code == 202, made.text
    store: JobStore = client.app.state.service.store  # type: ignore[attr-defined]
    return store.get(made.json()["id"])


def _peak(client: TestClient, url: str) -> tuple[int, dict[str, Any]]:
    tracemalloc.start()
    try:
        resp = client.get(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert resp.status_code == 200, resp.text
    return peak, resp.json()


def test_a_list_page_holds_no_item_jobs_rows(any_db_client: TestClient, root: Path) -> None:
    client = any_db_client
    store: JobStore = client.app.state.service.store  # type: ignore[attr-defined]
    parents = [_shootout(client, root, n) for n in range(4)]
    for parent in parents:
        store.create_children(parent, _rows(6))
    # One item of the first fails and one completes: the counts come per status, per parent (each
    # has its first trial's job too, made with it).
    first = store.children(parents[0].id)
    for child, end in zip(first, ("fail", "complete"), strict=False):
        started = store.claim_next("w", job_id=child.id)
        assert started is not None and started.token is not None
        if end == "fail":
            store.fail(child.id, started.token, "generation_failed", "boom")
        else:
            store.complete(child.id, started.token, {})

    # 24 item jobs of 200 KB each (and 4 small ones): holding their rows took over 4.8 MB (twice that, parsed).
    peak, page = _peak(client, "/v1/shootouts?limit=100")
    assert peak < 2_000_000, f"the page held {peak} bytes"
    counts = {s["id"]: s["request_counts"] for s in page["data"]}
    assert counts[parents[0].id] == {
        "total": 2,
        "queued": 5,
        "in_progress": 0,
        "completed": 1,
        "failed": 1,
        "cancelled": 0,
        "deleted": 0,
    }
    assert [counts[p.id]["queued"] for p in parents[1:]] == [7, 7, 7]
    assert {s["id"]: s["progress"] for s in page["data"]}[parents[0].id] == 28  # 2 of 7 ended

    peak, one = _peak(client, f"/v1/shootouts/{parents[0].id}")
    assert peak < 1_000_000, f"one shoot-out's GET held {peak} bytes"
    assert (one["request_counts"], one["progress"]) == (counts[parents[0].id], 28)

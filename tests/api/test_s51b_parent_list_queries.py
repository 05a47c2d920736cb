"""GET /v1/batches and /v1/shootouts count their page's item jobs in one query, however many parents."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from reelgen.jobs import kinds
from reelgen.jobs.records import Facts, Job
from reelgen.jobs.store import ChildRow, JobStore
from tests.jobs.conftest import make_store, store_url  # noqa: F401  (fixtures: SQLite and PostgreSQL)
from tests.jobs.helpers import request


def _rows(*keys: str) -> list[ChildRow]:
    render = kinds.get(kinds.RENDER)
    req = request("child")
    return [ChildRow(key, kinds.RENDER, render.dump(req), render.facts(req)) for key in keys]


def _parent(store: JobStore) -> Job:
    return store.create("fanout", {"count": 2}, Facts(model="jobtest-tiny", prompt="p"), start_as="driver")


def test_item_jobs_of_several_parents_are_counted_by_status_for_each(
    make_store: Callable[..., JobStore],  # noqa: F811
) -> None:
    store = make_store()
    first, second, none = _parent(store), _parent(store), _parent(store)
    store.create_children(first, _rows("b", "a"))
    store.create_children(second, _rows("c"))
    store.create_children(first, _rows("z"))
    running = store.claim_next("w", job_id=store.children(first.id)[1].id)
    assert running is not None
    found = store.child_statuses([first.id, second.id, none.id, first.id])
    assert found == {
        first.id: {"queued": 2, "in_progress": 1},
        second.id: {"queued": 1},
        none.id: {},
    }
    assert store.child_statuses([]) == {}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


@pytest.fixture
def counted(make_client: Callable[..., TestClient]) -> Iterator[tuple[TestClient, list[str]]]:
    client = make_client()
    engine = client.app.state.service.store.engine  # type: ignore[attr-defined]
    said: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        said.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    yield client, said
    sa.event.remove(engine, "before_cursor_execute", note)


def test_listing_more_shootouts_asks_the_database_no_more_often(
    counted: tuple[TestClient, list[str]], root: Path
) -> None:
    client, said = counted
    store: JobStore = client.app.state.service.store  # type: ignore[attr-defined]
    body = {"models": ["ltx-tiny"], "prompts": {"prompts": ["a fox"]}}

    def queries() -> int:
        said.clear()
        resp = client.get("/v1/shootouts?limit=100")
        assert resp.status_code == 200, resp.text
        return len(said)

    def make(n: int) -> None:
        made = client.post("/v1/shootouts", json={**body, "output_folder": str(root / f"r{n}")})
        assert made.status_code == 202, made.text
        store.create_children(store.get(made.json()["id"]), _rows("ltx-tiny--p1"))

    make(0)
    one = queries()
    for n in range(1, 5):
        make(n)
    listed = client.get("/v1/shootouts?limit=100").json()["data"]
    # Each parent's own item job is counted: the one count gave each parent its own.
    assert [s["request_counts"]["queued"] for s in listed] == [1] * 5
    # It was one children query per listed shoot-out: 4 more of them here, 99 more for a full page.
    assert queries() == one

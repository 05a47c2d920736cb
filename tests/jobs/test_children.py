"""Parent and child rows on SQLite and PostgreSQL: one child per key however often or from wherever asked."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from reelgen.jobs import db, kinds, reconcile
from reelgen.jobs.records import Facts, Job, JobStatus
from reelgen.jobs.store import ChildRow, JobStore
from tests.jobs.helpers import create, request


def parent_of(store: JobStore) -> Job:
    return store.create("fanout", {"count": 3}, Facts(model="jobtest-tiny", prompt="p"), start_as="driver")


def rows(*keys: str) -> list[ChildRow]:
    render = kinds.get(kinds.RENDER)
    req = request("child")
    return [ChildRow(key, kinds.RENDER, render.dump(req), render.facts(req)) for key in keys]


def test_a_parent_starts_running_and_its_children_queue_under_it(store: JobStore) -> None:
    parent = parent_of(store)
    assert parent.status is JobStatus.IN_PROGRESS and parent.token == 1 and parent.kind == "fanout"
    assert [e.type for e in store.events(parent.id)] == ["queued", "started"]
    made = store.create_children(parent, rows("a", "b"))
    assert [(c.child_key, c.parent_id, c.status, c.priority) for c in made] == [
        ("a", parent.id, JobStatus.QUEUED, parent.priority),
        ("b", parent.id, JobStatus.QUEUED, parent.priority),
    ]
    assert store.next_queued() is not None and store.next_queued().parent_id == parent.id  # type: ignore[union-attr]
    assert [c.child_key for c in store.children(parent.id)] == ["a", "b"]


def test_asking_again_for_existing_keys_makes_only_the_new_ones(store: JobStore) -> None:
    parent = parent_of(store)
    store.create_children(parent, rows("a", "b"))
    again = store.create_children(parent, rows("a", "b", "c"))
    assert [c.child_key for c in again] == ["c"]
    assert sorted(c.child_key or "" for c in store.children(parent.id)) == ["a", "b", "c"]
    other = parent_of(store)  # keys are per parent
    assert len(store.create_children(other, rows("a"))) == 1


def test_two_processes_spawning_the_same_children_make_each_once(make_store: Callable[..., JobStore]) -> None:
    first = make_store()
    parent = parent_of(first)
    stores = [make_store() for _ in range(3)]
    keys = [f"clip-{i}" for i in range(8)]

    failures: list[BaseException] = []

    def spawn(store: JobStore) -> None:
        try:
            for key in keys:
                store.create_children(parent, rows(key))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=spawn, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    children = first.children(parent.id)
    assert sorted(c.child_key or "" for c in children) == sorted(keys)
    assert all([e.type for e in first.events(c.id)] == ["queued"] for c in children)


def test_recovery_after_a_crash_leaves_running_parents_to_their_driver(store: JobStore) -> None:
    parent = parent_of(store)
    child = store.create_children(parent, rows("a"))[0]
    assert store.claim_next("old-worker", job_id=child.id) is not None
    recovered = reconcile.recover(
        store, now=time.time() + 601
    )  # the child's lease ran out; a parent has none
    assert [j.id for j in recovered] == [child.id]
    assert store.get(child.id).status is JobStatus.QUEUED
    assert store.get(parent.id).status is JobStatus.IN_PROGRESS
    assert [j.id for j in store.running_parents({"fanout"})] == [parent.id]


def test_queue_positions_of_a_page_come_from_one_query(store: JobStore) -> None:
    low = create(store, request("low"))
    high = create(store, request("high"), priority=5)
    running = create(store, request("runs"), priority=9)
    assert store.claim_next("w", job_id=running.id) is not None
    positions = store.queue_positions([low.id, high.id, running.id])
    assert positions == {high.id: 0, low.id: 1}
    assert positions[low.id] == store.queue_position(low.id)


def test_a_database_of_revision_0001_upgrades_with_its_jobs_as_render_jobs(store_url: str) -> None:
    engine = db.connect(store_url)
    config = Config()
    config.set_main_option("script_location", "reelgen.jobs:migrations")
    with db.writer(engine).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    old = request("from before kinds").model_dump(mode="json")
    old.update(seconds=0.625, negative_prompt=None, guidance_2=None)  # a GenerationRequest dump
    row = dict(
        id="video_" + "a" * 32,
        status="queued",
        model="jobtest-tiny",
        prompt="from before kinds",
        request=old,
        priority=0,
        created_at=1.0,
        updated_at=1.0,
        progress=0,
        attempts=0,
        max_attempts=2,
        token=0,
        cancel_requested=False,
        data_removed=False,
        last_seq=0,
    )
    with db.writer(engine).begin() as conn:
        columns = ", ".join(row)
        conn.execute(
            sa.text(f"INSERT INTO reelgen_jobs ({columns}) VALUES ({', '.join(':' + k for k in row)})"),
            {**row, "request": json.dumps(old)},
        )
    engine.dispose()
    store = JobStore(store_url)  # opening migrates to head
    try:
        job = store.get(str(row["id"]))
        assert job.kind == "render" and job.parent_id is None
        assert kinds.payload_of(job) == request("from before kinds")
    finally:
        store.close()

"""A job database that refuses a write (full disk, lost connection) leaves no job stuck and says why in one line."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import psycopg
import pytest
import sqlalchemy as sa

from reelgen.core.errors import WriteFailed
from reelgen.jobs import db, dispatcher, reconcile
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.dispatcher import Dispatcher
from reelgen.jobs.engine import Engine, RunStream, WorkerEvent, WorkerSlot
from reelgen.jobs.events import ProgressReport
from reelgen.jobs.records import JobStatus
from reelgen.jobs.run import Run
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


def full_sqlite_store(tmp_path: Path) -> JobStore:
    """A SQLite store whose file may not grow any more: SQLite says SQLITE_FULL, as on a full disk."""
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    @sa.event.listens_for(store.engine, "connect")
    def _cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    store.engine.dispose()  # pooled connections were opened without the cap
    return store


def test_a_full_job_database_is_said_as_a_full_disk_and_keeps_no_job(tmp_path: Path) -> None:
    store = full_sqlite_store(tmp_path)
    try:
        with pytest.raises(WriteFailed) as caught:
            for _ in range(50):  # the first pages may still have room for a row or two
                create(store, request())
        assert caught.value.disk_full
        assert "the job database has no room left" in caught.value.message
        assert "free some space" in caught.value.message
    finally:
        store.close()


def test_postgresqls_disk_full_is_recognised_and_other_errors_are_not() -> None:
    full = sa.exc.OperationalError("INSERT ...", {}, psycopg.errors.DiskFull("could not extend file"))
    gone = sa.exc.OperationalError("INSERT ...", {}, psycopg.OperationalError("connection lost"))
    assert db.out_of_space(full) and not db.out_of_space(gone)


class _Events(RunStream):
    """A worker's events: a step, then its end."""

    def __init__(self, events: list[WorkerEvent]) -> None:
        self.events = events

    def next(self, timeout_s: float) -> WorkerEvent | None:
        return self.events.pop(0)


def _dispatcher(store: JobStore, tmp_path: Path, owner: str = "me") -> Dispatcher:
    settings = JobSettings(data_dir=tmp_path / "data", lease_s=4.0)
    return Dispatcher(store, Artifacts(tmp_path / "data"), cast(Engine, object()), settings, owner)


def test_a_step_the_database_refuses_does_not_end_following_the_run(
    store: JobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Giving up at the refused step freed the worker's slot while it still rendered (the next job
    was sent to a busy worker) and never recorded the run's end."""
    dispatch = _dispatcher(store, tmp_path)
    create(store, request())
    job = store.claim_next("worker-0", lease_s=4.0, owner="me")
    assert job is not None
    slot = WorkerSlot(id="worker-0", actor=None, gpus=0, busy_job=job.id, alive=True)
    run = Run(job, slot, cast(Any, None), None)

    def refuse(*_args: object, **_kwargs: object) -> bool:
        raise WriteFailed("the job database has no room left", disk_full=True)

    ended: list[object] = []
    monkeypatch.setattr(store, "progress", refuse)
    monkeypatch.setattr(dispatch.outcome, "finish", lambda _run, event: ended.append(event))
    final = object()
    dispatch._follow(run, _Events([ProgressReport("denoise", 1, 2), cast(WorkerEvent, final)]))
    assert ended == [final] and run.unrecorded and slot.busy_job is None


def test_only_jobs_still_followed_here_keep_their_lease(
    make_store: Callable[..., JobStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job whose end could not be written (its follower gave up) was renewed with the owner's other
    jobs, so it stayed in_progress, run by no one, for as long as anything else ran here."""
    store = make_store()
    followed, dropped = create(store, request()), create(store, request())
    for _ in range(2):
        assert store.claim_next("worker-0", lease_s=4.0, owner="me") is not None
    first, before = store.get(followed.id).lease_until, store.get(dropped.id).lease_until
    assert before is not None
    dispatch = _dispatcher(store, tmp_path)
    dispatch.running[followed.id] = cast(Run, None)
    monkeypatch.setattr(dispatcher, "IDLE_POLL_S", 0.01)
    time.sleep(0.05)  # a renewal shows as a later lease_until
    thread = threading.Thread(target=dispatch._keep_leases)
    thread.start()
    deadline = time.monotonic() + 5
    while store.get(followed.id).lease_until == first and time.monotonic() < deadline:
        time.sleep(0.01)
    dispatch._stop.set()
    thread.join()
    assert store.get(followed.id).lease_until != first, "the followed job's lease was never renewed"
    assert store.get(dropped.id).lease_until == before
    requeued = reconcile.recover(store, skip=dispatch.running, now=before + 0.5)
    assert [job.id for job in requeued] == [dropped.id] and requeued[0].status is JobStatus.QUEUED

"""The job store's foundation: engine, row mapping, write transactions and the event log append."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from reelgen.core.errors import WriteFailed
from reelgen.jobs import db
from reelgen.jobs.records import JOB_ID, Facts, Job, JobEvent, JobNotFound, JobStatus
from reelgen.jobs.schema import events as events_t
from reelgen.jobs.schema import jobs as jobs_t
from reelgen.jobs.schema import webhooks as webhooks_t

log = logging.getLogger(__name__)

Listener = Callable[[JobEvent], None]

#: Progress webhooks of one job are queued at most this often.
WEBHOOK_PROGRESS_EVERY_S = 2.0
#: One lock per SQLite file, shared by every store of this process on it (see ``StoreCore._write``).
_SQLITE_WRITERS: dict[str, threading.RLock] = {}
#: How long one write may wait for a SQLite database another process holds, this process's writers
#: queued before it included (SQLite's busy timeout; ``db.connect``).
WRITE_WAIT_S = db.BUSY_S


def new_job_id() -> str:
    """A fresh server-generated id: ``video_`` and 32 hex digits."""
    return f"video_{uuid.uuid4().hex}"


def new_row(kind: str, payload: dict[str, Any], facts: Facts, **values: Any) -> dict[str, Any]:
    """A queued job's row: the payload as JSON, its facts copied out for queries, ``values`` on top."""
    now = time.time()
    frames, fps = facts.num_frames, facts.fps
    row: dict[str, Any] = dict(
        id=new_job_id(),
        kind=kind,
        status=JobStatus.QUEUED.value,
        model=facts.model,
        prompt=facts.prompt,
        payload=payload,
        priority=0,
        created_at=now,
        updated_at=now,
        progress=0,
        attempts=0,
        max_attempts=2,
        token=0,
        cancel_requested=False,
        seed=facts.seed,
        num_frames=frames,
        fps=fps,
        width=facts.width,
        height=facts.height,
        seconds=round(frames / fps, 3) if frames and fps else None,
        metrics={},
        meta={},
        data_removed=False,
        last_seq=0,
    )
    row.update(values)
    row["max_attempts"] = max(1, int(row["max_attempts"]))
    return row


def started(row: dict[str, Any], worker_id: str) -> dict[str, Any]:
    """``row`` created already running (a parent job: no worker, no lease; its driver holds token 1)."""
    return {
        **row,
        "status": JobStatus.IN_PROGRESS.value,
        "attempts": 1,
        "token": 1,
        "worker_id": worker_id,
        "started_at": row["created_at"],
    }


def to_job(row: sa.Row[Any]) -> Job:
    m = row._mapping
    return Job(
        id=m["id"],
        status=JobStatus(m["status"]),
        model=m["model"],
        prompt=m["prompt"],
        payload=m["payload"],
        priority=m["priority"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        started_at=m["started_at"],
        completed_at=m["completed_at"],
        progress=m["progress"],
        stage=m["stage"],
        step=m["step"],
        total=m["total"],
        eta_s=m["eta_s"],
        attempts=m["attempts"],
        max_attempts=m["max_attempts"],
        token=m["token"],
        worker_id=m["worker_id"],
        owner=m["owner"],
        lease_until=m["lease_until"],
        cancel_requested=bool(m["cancel_requested"]),
        error_code=m["error_code"],
        error_message=m["error_message"],
        result=m["result"],
        seed=m["seed"],
        num_frames=m["num_frames"],
        fps=m["fps"],
        width=m["width"],
        height=m["height"],
        seconds=m["seconds"],
        idempotency_key=m["idempotency_key"],
        body_hash=m["body_hash"],
        webhook_url=m["webhook_url"],
        webhook_events=list(m["webhook_events"] or []),
        metrics=dict(m["metrics"] or {}),
        metadata=dict(m["meta"] or {}),
        remixed_from=m["remixed_from"],
        data_removed=bool(m["data_removed"]),
        kind=m["kind"],
        parent_id=m["parent_id"],
        child_key=m["child_key"],
    )


class StoreCore:
    """Opens the database (migrated to head), hands out write transactions and appends events."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or db.default_url()
        self.engine = db.connect(self.url)
        self._writer = db.writer(self.engine)
        self._write_lock: threading.RLock | contextlib.nullcontext[None] = contextlib.nullcontext()
        if self.engine.dialect.name == "sqlite":
            self._write_lock = _SQLITE_WRITERS.setdefault(str(self.engine.url), threading.RLock())
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._progress_hooks: dict[str, float] = {}
        #: Whether the last write found the database full (said once in the log, and once when it is over).
        self._full = False
        #: The database as the log names it, without a password.
        self.url_said = self.engine.url.render_as_string(hide_password=True)
        db.upgrade(self.engine)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` after each event this store object commits; returns unsubscribe.

        Only events written through this object are seen (the service's own
        dispatcher and API calls); another process's writes show up in
        ``events()``. Listeners run on the writing thread: keep them quick.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, events: list[JobEvent]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for event in events:
            for listener in listeners:
                listener(event)

    @contextmanager
    def _write(self) -> Iterator[tuple[sa.Connection, list[JobEvent]]]:
        """A write transaction; events appended in it reach listeners only after commit.

        On SQLite this process's writers queue on a lock first: SQLite's own busy
        handler retries a locked database by sleeping ever longer, which turns a
        burst of creates into seconds of tail latency.

        A database with no room left (a full disk, a quota) raises ``WriteFailed`` (``disk_full``),
        which the API answers 507 in one line; it was a 500 "internal error (OperationalError)".
        """
        pending: list[JobEvent] = []
        wrote = False
        try:
            with self._writer_turn() as writer, writer.begin() as conn:
                before = _changes(conn)  # read always: another thread may find the database full meanwhile
                yield conn, pending
                wrote = self._full and _wrote(conn, before)
        except sa.exc.OperationalError as exc:
            if not db.out_of_space(exc):
                raise
            said = f"the job database has no room left ({exc.orig}); free some space on the server"
            if not self._full:
                # A submit refused 507 left only "507 Insufficient Storage" in the log, and no word of where.
                log.error("%s: %s; new jobs are refused (507) until then", self.url_said, said)
            self._full = True
            raise WriteFailed(said, disk_full=True) from exc
        if wrote:
            # Only a transaction that changed a row shows room: one that changed none (a claim that
            # found nothing, a lease renewal of no job) commits on a full disk too, and said "takes
            # writes again" between every two "no room left" lines, a pair a second.
            log.warning("the job database %s takes writes again", self.url_said)
            self._full = False
        self._notify(pending)

    def _append(
        self,
        conn: sa.Connection,
        pending: list[JobEvent],
        job_id: str,
        kind: str,
        data: dict[str, Any],
    ) -> None:
        # Bumping last_seq on the job row locks it, so seq numbers never collide.
        c = jobs_t.c
        row = conn.execute(
            sa.update(jobs_t)
            .where(c.id == job_id)
            .values(last_seq=c.last_seq + 1)
            .returning(c.last_seq, c.webhook_url, c.webhook_events)
        ).one()
        seq, now = row.last_seq, time.time()
        conn.execute(sa.insert(events_t).values(job_id=job_id, seq=seq, type=kind, data=data, created_at=now))
        if row.webhook_url and kind in (row.webhook_events or ()) and self._hook_due(job_id, kind, now):
            # In the event's own transaction: a delivery is never lost between commit and send.
            conn.execute(
                sa.insert(webhooks_t).values(
                    job_id=job_id, seq=seq, url=row.webhook_url, attempts=0, next_at=now, created_at=now
                )
            )
        pending.append(JobEvent(job_id, seq, kind, data, now))

    def _hook_due(self, job_id: str, kind: str, now: float) -> bool:
        """Progress webhooks are thinned to one per ``WEBHOOK_PROGRESS_EVERY_S``; the rest always go."""
        if kind != "progress":
            self._progress_hooks.pop(job_id, None)
            return True
        if now - self._progress_hooks.get(job_id, 0.0) < WEBHOOK_PROGRESS_EVERY_S:
            return False
        self._progress_hooks[job_id] = now
        return True

    @contextmanager
    def _writer_turn(self) -> Iterator[sa.Engine]:
        """This process's turn to write: the engine to begin on, which waits for SQLite's lock for what is
        left of ``WRITE_WAIT_S`` once this process's other writers are done.

        Each writer queued here waited SQLite's whole busy timeout in turn while another process held
        the database: of 4 creates sent at once, the last was answered 503 after 120 s.
        """
        lock = self._write_lock
        if isinstance(lock, contextlib.nullcontext):  # PostgreSQL: no queue of this process's own
            yield self._writer
            return
        deadline = time.monotonic() + WRITE_WAIT_S
        if not lock.acquire(timeout=WRITE_WAIT_S):
            # Said as SQLite says it, so that callers answer it alike (503, one log line).
            raise sa.exc.OperationalError(
                "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
            )
        try:
            left_ms = max(1, int((deadline - time.monotonic()) * 1000))
            yield self._writer.execution_options(reelgen_busy_ms=left_ms)
        finally:
            lock.release()

    def get(self, job_id: str) -> Job:
        """The job ``job_id``; raises ``JobNotFound`` for unknown or malformed ids."""
        if not JOB_ID.match(job_id or ""):
            raise JobNotFound.of(job_id)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(jobs_t).where(jobs_t.c.id == job_id)).first()
        if row is None:
            raise JobNotFound.of(job_id)
        return to_job(row)


def _changes(conn: sa.Connection) -> int | None:
    """Rows this SQLite connection has changed since it opened; None on PostgreSQL, which says it per
    transaction (``_wrote``)."""
    if conn.dialect.name != "sqlite":
        return None
    return int(conn.connection.dbapi_connection.total_changes)  # type: ignore[union-attr]


def _wrote(conn: sa.Connection, before: int | None) -> bool:
    """Whether the transaction on ``conn`` changed a row (``before``: ``_changes`` at its start)."""
    if conn.dialect.name == "sqlite":
        return _changes(conn) != before
    # An id is given to a PostgreSQL transaction at its first change (txid_current_if_assigned: 10+).
    return bool(conn.execute(sa.text("SELECT txid_current_if_assigned() IS NOT NULL")).scalar_one())

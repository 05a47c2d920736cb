"""The durable job store: jobs of every kind and their event log in SQL; worker transitions fenced by a token."""

from __future__ import annotations

import builtins
import hashlib
import json
import math
import time
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from reelgen.jobs._children import ChildRow, ChildRows
from reelgen.jobs._retention import DELETED_KEPT_S, RetentionRows, deleted_with_key
from reelgen.jobs._sql import new_job_id, new_row, started, to_job
from reelgen.jobs._webhooks import Delivery, WebhookRows
from reelgen.jobs.records import (
    DEFAULT_WEBHOOK_EVENTS,
    DeletedCursor,
    Facts,
    IdempotencyConflict,
    IdempotencyKeyDeleted,
    InvalidTransition,
    Job,
    JobEvent,
    JobNotFound,
    JobPage,
    JobStatus,
    QueueFull,
    StaleToken,
)
from reelgen.jobs.schema import deleted as deleted_t
from reelgen.jobs.schema import events as events_t
from reelgen.jobs.schema import jobs as jobs_t
from reelgen.jobs.transitions import WorkerTransitions

__all__ = [
    "ChildRow",
    "Delivery",
    "IdempotencyConflict",
    "IdempotencyKeyDeleted",
    "InvalidTransition",
    "Job",
    "JobEvent",
    "JobNotFound",
    "JobPage",
    "JobStatus",
    "JobStore",
    "QueueFull",
    "StaleToken",
    "fingerprint",
    "new_job_id",
]


#: Key of the PostgreSQL advisory lock that makes the queue-limit check and the insert one step.
_QUEUE_LOCK = 0x7265656D  # "reem"


def fingerprint(body: Any) -> str:
    """SHA-256 of ``body`` as canonical JSON: what an Idempotency-Key is bound to.

    The one fingerprint of the job layer and the API: callers pass what the
    person sent (before any default or random seed is filled in), so a retry
    of the same body matches and another body conflicts.
    """
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class JobStore(WorkerTransitions, ChildRows, RetentionRows, WebhookRows):
    """Jobs in SQL: SQLite (WAL) by default, PostgreSQL by URL; schema migrated to head on open.

    Every method commits before it returns. Worker-side transitions
    (``claim_next``, ``progress``, ``heartbeat``, ``complete``, ``fail``,
    ``finish_cancelled``, ``requeue_or_fail``, ``release``; see
    ``reelgen.jobs.transitions``) are fenced: a call with a token that is no
    longer current raises ``StaleToken``. Priority: a higher number runs
    first; equal priorities run oldest first.
    """

    def __init__(self, url: str | None = None, *, max_queue: int = 1000) -> None:
        super().__init__(url)
        self.max_queue = max_queue

    # ---- create and read ----------------------------------------------------------------

    def create(self, kind: str, payload: dict[str, Any], facts: Facts, **options: Any) -> Job:
        """``create_or_replay`` without saying which of the two happened."""
        return self.create_or_replay(kind, payload, facts, **options)[0]

    def create_or_replay(
        self,
        kind: str,
        payload: dict[str, Any],
        facts: Facts,
        *,
        priority: int = 0,
        idempotency_key: str | None = None,
        body_fingerprint: str | None = None,
        webhook_url: str | None = None,
        webhook_events: builtins.list[str] | None = None,
        max_attempts: int = 2,
        metadata: dict[str, Any] | None = None,
        remixed_from: str | None = None,
        start_as: str | None = None,
    ) -> tuple[Job, bool]:
        """Queue a job of ``kind`` whose ``payload`` (JSON) is already resolved, with its row ``facts``.

        Returns the job and whether it is a replay. With ``idempotency_key``: the
        same key and ``body_fingerprint`` returns the first job (a replay, also
        when two requests raced: exactly one of them made it); another
        fingerprint raises ``IdempotencyConflict``. A queue at ``max_queue``
        raises ``QueueFull`` with a retry-after estimate. ``start_as`` creates the
        job running already under that owner (parent jobs: their driver, not a
        worker, runs them).
        """
        if idempotency_key is not None:
            if body_fingerprint is None:
                raise ValueError("an idempotency key needs the fingerprint of the body it is bound to")
            existing = self.find_by_key(idempotency_key, body_fingerprint)
            if existing is not None:
                return existing, True
        row = new_row(
            kind,
            payload,
            facts,
            priority=priority,
            max_attempts=max_attempts,
            remixed_from=remixed_from,
            meta=metadata or {},
            idempotency_key=idempotency_key,
            body_hash=body_fingerprint,
            webhook_url=webhook_url,
            webhook_events=list(webhook_events or (DEFAULT_WEBHOOK_EVENTS if webhook_url else [])),
        )
        if start_as is not None:
            row = started(row, start_as)
        try:
            self._insert(row, start_as)
        except sa.exc.IntegrityError:
            # Two requests with one key raced; the first one's job is the answer.
            existing = (
                None if idempotency_key is None else self.find_by_key(idempotency_key, str(body_fingerprint))
            )
            if existing is None:
                raise
            return existing, True
        return self.get(row["id"]), False

    def _insert(self, row: dict[str, Any], start_as: str | None) -> None:
        """Insert a new job with its first event(s), unless the queue is full.

        Count and insert are one atomic step on both databases: SQLite's write
        transactions take the database lock at BEGIN; on PostgreSQL, whose READ
        COMMITTED transactions would each count without the others' inserts, an
        advisory lock held to commit serialises creates (claims never wait on it).
        """
        with self._write() as (conn, pending):
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _QUEUE_LOCK})
            queued = conn.execute(
                sa.select(sa.func.count()).where(jobs_t.c.status == JobStatus.QUEUED.value)
            ).scalar_one()
            if queued >= self.max_queue:
                raise QueueFull(
                    f"the queue is full ({queued} job{'s' * (queued != 1)} waiting, limit {self.max_queue}); retry later",
                    retry_after_s=self._retry_after(conn, queued),
                )
            conn.execute(sa.insert(jobs_t).values(**row))
            self._append(conn, pending, row["id"], "queued", {"status": "queued", "attempt": 0})
            if start_as is not None:
                data = {"status": JobStatus.IN_PROGRESS.value, "attempt": 1, "worker": start_as}
                self._append(conn, pending, row["id"], "started", data)

    def find_by_key(self, key: str, fingerprint: str) -> Job | None:
        """The job made with Idempotency-Key ``key``, or None; another body raises IdempotencyConflict.

        A key whose job was deleted less than a day ago raises ``IdempotencyKeyDeleted``: a retry of
        the create that made it would otherwise make a second job.
        """
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(jobs_t).where(jobs_t.c.idempotency_key == key)).first()
            gone = deleted_with_key(conn, key) if found is None else None
        if gone is not None:
            raise IdempotencyKeyDeleted(key, *gone)
        if found is None:
            return None
        job = to_job(found)
        if job.body_hash != fingerprint:
            raise IdempotencyConflict(key, job)
        return job

    def _retry_after(self, conn: sa.Connection, queued: int) -> int:
        recent = conn.execute(
            sa.select(jobs_t.c.started_at, jobs_t.c.completed_at)
            .where(jobs_t.c.status == JobStatus.COMPLETED.value, jobs_t.c.started_at.is_not(None))
            .order_by(jobs_t.c.completed_at.desc())
            .limit(20)
        ).all()
        runs = [done - start for start, done in recent if done and start]
        average = sum(runs) / len(runs) if runs else 30.0
        return max(1, math.ceil(average))

    def list(
        self,
        *,
        after: str | None = None,
        limit: int = 20,
        order: str = "desc",
        status: str | JobStatus | None = None,
        model: str | None = None,
        kind: str | tuple[str, ...] | None = None,
        parent_id: str | None = None,
    ) -> JobPage:
        """Jobs newest first (``order="asc"``: oldest first), starting after job ``after``; ``kind``: one or several;
        ``parent_id``: only that parent's item jobs."""
        newest_first = order != "asc"
        key = (jobs_t.c.created_at, jobs_t.c.id)
        query = sa.select(jobs_t)
        listed = None if kind is None else (kind,) if isinstance(kind, str) else tuple(kind)
        if listed is not None:
            query = query.where(jobs_t.c.kind.in_(listed))
        if status is not None:
            query = query.where(jobs_t.c.status == JobStatus(status).value)
        if model is not None:
            query = query.where(jobs_t.c.model == model)
        if parent_id is not None:
            query = query.where(jobs_t.c.parent_id == parent_id)
        if after is not None:
            created_at = self._cursor(after, listed)
            mark = sa.tuple_(*key)
            pos = sa.tuple_(sa.literal(created_at), sa.literal(after))
            query = query.where(mark < pos if newest_first else mark > pos)
        query = query.order_by(*(c.desc() if newest_first else c.asc() for c in key)).limit(limit + 1)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return JobPage([to_job(r) for r in rows[:limit]], has_more=len(rows) > limit)

    def _cursor(self, after: str, listed: tuple[str, ...] | None) -> float:
        """When job ``after`` was made: its row, or, for a job deleted in the last day, its record of deletion.

        A deleted job of none of the ``listed`` kinds raises ``DeletedCursor``: a deleted batch's id
        paged the video list on from where the batch had stood. A record from before kinds were kept
        (NULL) still pages on.
        """
        try:
            return self.get(after).created_at
        except JobNotFound:
            with self.engine.connect() as conn:
                query = sa.select(deleted_t.c.created_at, deleted_t.c.kind).where(deleted_t.c.id == after)
                found = conn.execute(query).first()
            if found is None:
                raise
            if listed is not None and found.kind is not None and found.kind not in listed:
                raise DeletedCursor(after, found.kind) from None
            return float(found.created_at)

    def queue_position(self, job_id: str | Job) -> int | None:
        """How many queued jobs start before this one (0: next); None unless it is queued.

        Given the ``Job`` just read, it is not read again.
        """
        job = self.get(job_id) if isinstance(job_id, str) else job_id
        if job.status is not JobStatus.QUEUED:
            return None
        c = jobs_t.c
        ahead = sa.or_(
            c.priority > job.priority,
            sa.and_(c.priority == job.priority, c.created_at < job.created_at),
            sa.and_(c.priority == job.priority, c.created_at == job.created_at, c.id < job.id),
        )
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).where(c.status == JobStatus.QUEUED.value, ahead)
                ).scalar_one()
            )

    def queue_positions(self, ids: Iterable[str]) -> dict[str, int]:
        """Queue positions of those of ``ids`` that are queued, in one query (a page of a list)."""
        wanted = list(ids)
        if not wanted:
            return {}
        c = jobs_t.c
        order = (c.priority.desc(), c.created_at.asc(), c.id.asc())
        ranked = (
            sa.select(c.id, (sa.func.row_number().over(order_by=order) - 1).label("position"))
            .where(c.status == JobStatus.QUEUED.value)
            .subquery()
        )
        query = sa.select(ranked.c.id, ranked.c.position).where(ranked.c.id.in_(wanted))
        with self.engine.connect() as conn:
            return {row.id: int(row.position) for row in conn.execute(query).all()}

    def counts(self) -> dict[str, int]:
        """Number of jobs per status (every status present, zero included)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(jobs_t.c.status, sa.func.count()).group_by(jobs_t.c.status)).all()
        found = {status: int(n) for status, n in rows}
        return {s.value: found.get(s.value, 0) for s in JobStatus}

    def in_progress(self, *, except_kinds: Iterable[str] = ()) -> builtins.list[Job]:
        """Running jobs, leaving out those of ``except_kinds`` (parents, which no worker runs)."""
        query = sa.select(jobs_t).where(jobs_t.c.status == JobStatus.IN_PROGRESS.value)
        skip = list(except_kinds)
        if skip:
            query = query.where(jobs_t.c.kind.not_in(skip))
        with self.engine.connect() as conn:
            return [to_job(r) for r in conn.execute(query).all()]

    def events(self, job_id: str, after_seq: int = 0, limit: int | None = None) -> builtins.list[JobEvent]:
        """Events of ``job_id`` with seq > ``after_seq`` (an SSE Last-Event-ID), oldest first."""
        query = (
            sa.select(events_t)
            .where(events_t.c.job_id == job_id, events_t.c.seq > after_seq)
            .order_by(events_t.c.seq)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [JobEvent(r.job_id, r.seq, r.type, r.data, r.created_at) for r in rows]

    # ---- user actions --------------------------------------------------------------------

    def cancel(self, job_id: str) -> Job:
        """Queued: cancelled at once. Running: flags ``cancel_requested``. Finished: unchanged."""
        self.get(job_id)
        now = time.time()
        error = {"code": "cancelled", "message": "cancelled by request before it started"}
        with self._write() as (conn, pending):
            done = conn.execute(
                sa.update(jobs_t)
                .where(jobs_t.c.id == job_id, jobs_t.c.status == JobStatus.QUEUED.value)
                .values(
                    status=JobStatus.CANCELLED.value,
                    completed_at=now,
                    updated_at=now,
                    cancel_requested=True,
                    error_code=error["code"],
                    error_message=error["message"],
                )
            ).rowcount
            if done:
                # The event says why, as a running job's cancelled event does: `reelgen watch` and
                # webhooks show it, and printed an empty reason for a job cancelled in the queue.
                data = {"status": "cancelled", "step": None, "error": error}
                self._append(conn, pending, job_id, "cancelled", data)
            else:
                conn.execute(
                    sa.update(jobs_t)
                    .where(jobs_t.c.id == job_id, jobs_t.c.status == JobStatus.IN_PROGRESS.value)
                    .values(cancel_requested=True, updated_at=now)
                )
        return self.get(job_id)

    def delete(self, job_id: str, *, force: bool = False) -> Job:
        """Remove a job and its events; returns the last record.

        A running job raises ``InvalidTransition`` unless ``force``: then its
        record goes at once and the running attempt, whose token is now
        stale, is stopped by the dispatcher at its next report.
        """
        job = self.get(job_id)
        query = sa.delete(jobs_t).where(jobs_t.c.id == job_id)
        if not force:
            query = query.where(jobs_t.c.status != JobStatus.IN_PROGRESS.value)
        with self._write() as (conn, _pending):
            self.keep_bodies(conn, job_id)  # its webhooks still to send go as the job stands now
            conn.execute(sa.delete(events_t).where(events_t.c.job_id == job_id))
            gone = conn.execute(query).rowcount
            if gone:
                now = time.time()
                conn.execute(sa.delete(deleted_t).where(deleted_t.c.deleted_at < now - DELETED_KEPT_S))
                conn.execute(
                    sa.insert(deleted_t).values(
                        id=job_id,
                        created_at=job.created_at,
                        deleted_at=now,
                        kind=job.kind,
                        idempotency_key=job.idempotency_key,
                    )
                )
            if not gone:
                # A delete that lost a race with another one finds no row at all: that job is
                # gone (404), not running (which would tell the client to cancel it first).
                if conn.execute(sa.select(jobs_t.c.id).where(jobs_t.c.id == job_id)).first() is None:
                    raise JobNotFound.of(job_id)
                raise InvalidTransition(
                    f"job {job_id} is running; cancel it first, or delete with force", param="id"
                )
        return job

"""The store's webhook deliveries: queued with each event they report, claimed, retried, dropped.

A delivery row is written in the same transaction as its event (``StoreCore._append``),
so a delivery is never lost between the commit and the send, and it stays until
it is delivered or given up: a restart of the API process loses no retry, and neither
does a delete of its job, which keeps the POST's body in the row (``keep_bodies``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from reelgen.jobs._sql import StoreCore, to_job
from reelgen.jobs.records import Job, JobEvent
from reelgen.jobs.schema import events as events_t
from reelgen.jobs.schema import jobs as jobs_t
from reelgen.jobs.schema import webhooks as webhooks_t

#: The fields of a job an event's ``data.video`` holds.
_SUMMARY = {"id", "status", "model", "progress", "created_at", "started_at", "completed_at", "error"}
_SUMMARY |= {"seed", "num_frames", "fps", "size", "seconds", "attempts", "metrics", "metadata"}


@dataclass(frozen=True)
class Delivery:
    """A webhook POST to make: the event ``seq`` of ``job_id``, to ``url``, tried ``attempts`` times.

    ``body`` is the POST itself when its job was deleted since (else None: it is made at the send).
    """

    job_id: str
    seq: int
    url: str
    attempts: int
    body: dict[str, Any] | None = None


def event_body(job: Job, event: JobEvent) -> dict[str, Any]:
    """The JSON a webhook POSTs for ``event`` of ``job``, the job as it is now."""
    summary = {k: v for k, v in job.to_dict().items() if k in _SUMMARY}
    return {
        "type": f"video.{event.type}",
        "id": f"{job.id}:{event.seq}",
        "created_at": event.created_at,
        "data": {"video": summary, "event": event.data},
    }


class WebhookRows(StoreCore):
    """What ``reelgen.jobs.webhooks.WebhookSender`` asks of the store."""

    def claim_webhooks(self, limit: int, hold_s: float, now: float | None = None) -> list[Delivery]:
        """Up to ``limit`` deliveries that are due, held for ``hold_s`` (no other sender takes them then).

        A sender that dies mid-send lets its hold run out; the next one sends
        again (at least once: receivers deduplicate by the ``webhook-id`` header).
        """
        now = time.time() if now is None else now
        w = webhooks_t.c
        due = sa.select(w.job_id, w.seq).where(w.next_at <= now).order_by(w.next_at).limit(limit)
        with self._write() as (conn, _pending):
            if conn.dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            keys = conn.execute(due).all()
            out = []
            for job_id, seq in keys:
                row = conn.execute(
                    sa.update(webhooks_t)
                    .where(w.job_id == job_id, w.seq == seq)
                    .values(next_at=now + hold_s)
                    .returning(w.url, w.attempts, w.body)
                ).one()
                out.append(Delivery(job_id, seq, row.url, row.attempts, row.body))
        return out

    def kept_body(self, delivery: Delivery) -> dict[str, Any] | None:
        """The body kept for ``delivery`` by a delete of its job after it was claimed, if any."""
        w = webhooks_t.c
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(w.body).where(w.job_id == delivery.job_id, w.seq == delivery.seq)
            ).scalar()

    @staticmethod
    def keep_bodies(conn: sa.Connection, job_id: str) -> None:
        """In a delete's transaction, before the job's events go: each delivery of it still to make
        keeps the POST it will send (the job as it is deleted), so the delete loses none of them."""
        # Read (and, on PostgreSQL, locked) here: an event committed between this and the delete
        # would add a delivery with no body, and one read before the transaction may be stale.
        row = conn.execute(sa.select(jobs_t).where(jobs_t.c.id == job_id).with_for_update()).first()
        if row is None:
            return
        job = to_job(row)
        w, e = webhooks_t.c, events_t.c
        rows = conn.execute(
            sa.select(events_t)
            .join(webhooks_t, sa.and_(w.job_id == e.job_id, w.seq == e.seq))
            .where(e.job_id == job_id, w.body.is_(None))
        ).all()
        for r in rows:
            body = event_body(job, JobEvent(r.job_id, r.seq, r.type, r.data, r.created_at))
            conn.execute(sa.update(webhooks_t).where(w.job_id == job_id, w.seq == r.seq).values(body=body))

    def webhook_done(self, delivery: Delivery) -> None:
        """Delivered (or not to be sent any more): the row goes."""
        w = webhooks_t.c
        with self._write() as (conn, _pending):
            conn.execute(sa.delete(webhooks_t).where(w.job_id == delivery.job_id, w.seq == delivery.seq))

    def webhook_retry(self, delivery: Delivery, next_at: float, error: str) -> None:
        """A failed attempt: counted, with the next try at ``next_at``."""
        w = webhooks_t.c
        with self._write() as (conn, _pending):
            conn.execute(
                sa.update(webhooks_t)
                .where(w.job_id == delivery.job_id, w.seq == delivery.seq)
                .values(attempts=delivery.attempts + 1, next_at=next_at, last_error=error[:2000])
            )

    def pending_webhooks(self) -> int:
        """Deliveries not yet made (due or waiting for a retry)."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(webhooks_t)).scalar_one())

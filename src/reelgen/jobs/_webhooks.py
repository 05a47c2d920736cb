"""The store's webhook deliveries: queued with each event they report, claimed, retried, dropped.

A delivery row is written in the same transaction as its event (``StoreCore._append``),
so a delivery is never lost between the commit and the send, and it stays until
it is delivered or given up: a restart of the API process loses no retry.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa

from reelgen.jobs._sql import StoreCore
from reelgen.jobs.schema import webhooks as webhooks_t


@dataclass(frozen=True)
class Delivery:
    """A webhook POST to make: the event ``seq`` of ``job_id``, to ``url``, tried ``attempts`` times."""

    job_id: str
    seq: int
    url: str
    attempts: int


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
                    .returning(w.url, w.attempts)
                ).one()
                out.append(Delivery(job_id, seq, row.url, row.attempts))
        return out

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

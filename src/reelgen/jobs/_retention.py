"""The store's queries for retention cleanup (finished jobs past a cutoff, references, live inputs) and for
what a deleted job leaves for a day (its place and its Idempotency-Key)."""

from __future__ import annotations

import re
import time

import sqlalchemy as sa

from reelgen.jobs._sql import StoreCore, to_job
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.schema import deleted as deleted_t
from reelgen.jobs.schema import jobs as jobs_t

_TERMINAL = tuple(s.value for s in JobStatus if s.terminal)


#: How long a deleted job's place (and its Idempotency-Key) is kept for page cursors and retries that
#: name it (``schema.deleted``).
DELETED_KEPT_S = 86_400.0


def deleted_with_key(conn: sa.Connection, key: str) -> tuple[str, str] | None:
    """The id and kind of a job made with Idempotency-Key ``key`` and deleted less than a day ago."""
    row = conn.execute(
        sa.select(deleted_t.c.id, deleted_t.c.kind)
        .where(deleted_t.c.idempotency_key == key, deleted_t.c.deleted_at >= time.time() - DELETED_KEPT_S)
        .limit(1)
    ).first()
    return None if row is None else (row.id, row.kind)


class RetentionRows(StoreCore):
    """What ``reelgen.jobs.reconcile.cleanup`` asks before it deletes anything."""

    def finished_before(self, cutoff: float, *, with_data: bool = True) -> list[Job]:
        """Jobs finished before ``cutoff`` (Unix s); ``with_data``: only those with outputs left."""
        c = jobs_t.c
        query = sa.select(jobs_t).where(c.status.in_(_TERMINAL), c.completed_at < cutoff)
        if with_data:
            query = query.where(c.data_removed.is_(False))
        with self.engine.connect() as conn:
            return [to_job(r) for r in conn.execute(query).all()]

    def mark_data_removed(self, job_id: str) -> None:
        """Record that a job's output files were deleted (the record and its metadata stay)."""
        with self._write() as (conn, _pending):
            conn.execute(
                sa.update(jobs_t)
                .where(jobs_t.c.id == job_id)
                .values(data_removed=True, updated_at=time.time())
            )

    def names_input(self, token: str) -> bool:
        """Whether any job's payload names the stored input whose name starts with ``token`` (its 32 hex
        digits, unique to one upload): a remix's payload names its source's."""
        if not re.fullmatch(r"[0-9a-f]{32}", token):
            raise ValueError(f"not a stored input's token: {token!r}")
        text = sa.cast(jobs_t.c.payload, sa.Text)
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(jobs_t.c.id).where(text.contains(token)).limit(1)).first()
        return found is not None

    def referenced(self, job_id: str) -> bool:
        """Whether another job points at this one (a remix of it), so its record must stay."""
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(jobs_t.c.id).where(jobs_t.c.remixed_from == job_id).limit(1)
            ).first()
        return found is not None

    def active(self) -> list[Job]:
        """Queued and running jobs (their input files must stay)."""
        c = jobs_t.c
        query = sa.select(jobs_t).where(c.status.in_([s.value for s in JobStatus if not s.terminal]))
        with self.engine.connect() as conn:
            return [to_job(r) for r in conn.execute(query).all()]

    def holding_inputs(self) -> list[Job]:
        """Jobs whose input files must stay: queued and running ones, and finished ones whose outputs
        are still kept (a remix of one, allowed as long as its video is, runs from its inputs)."""
        c = jobs_t.c
        waiting = c.status.in_([s.value for s in JobStatus if not s.terminal])
        query = sa.select(jobs_t).where(sa.or_(waiting, c.data_removed.is_(False)))
        with self.engine.connect() as conn:
            return [to_job(r) for r in conn.execute(query).all()]

    def deleted_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` this store deleted (kept about a day, ``schema.deleted``)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(deleted_t.c.id).where(deleted_t.c.id.in_(ids))).all()
        return {r.id for r in rows}

    def known_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` have a record (used to find orphaned output folders)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(jobs_t.c.id).where(jobs_t.c.id.in_(ids))).all()
        return {r.id for r in rows}

"""Parent and child rows: each child made once per (parent, key), read back or counted, running parents found."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from reelgen.jobs._sql import StoreCore, new_row, to_job
from reelgen.jobs.records import JOB_ID, ChildState, Facts, Job, JobNotFound, JobStatus
from reelgen.jobs.schema import jobs as jobs_t


@dataclass(frozen=True)
class ChildRow:
    """A child to make: its key under the parent, its kind, payload (JSON) and row facts."""

    key: str
    kind: str
    payload: dict[str, Any]
    facts: Facts


class ChildRows(StoreCore):
    """The store's side of parent jobs; ``reelgen.jobs.parents`` drives them."""

    def create_children(
        self, parent: Job, children: Iterable[ChildRow], *, max_attempts: int = 2
    ) -> list[Job]:
        """Queue the children whose key the parent does not have yet; returns those made now.

        All of them go in one transaction, and the unique (parent_id, child_key)
        makes a second call with the same keys (another process, a restart)
        a no-op: a fan-out never loses a child and never makes one twice.
        """
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        made: list[str] = []
        with self._write() as (conn, pending):
            for child in children:
                row = new_row(
                    child.kind,
                    child.payload,
                    child.facts,
                    priority=parent.priority,
                    max_attempts=max_attempts,
                    parent_id=parent.id,
                    child_key=child.key,
                )
                query = (
                    insert(jobs_t)
                    .values(**row)
                    .on_conflict_do_nothing(index_elements=["parent_id", "child_key"])
                    .returning(jobs_t.c.id)
                )
                if conn.execute(query).scalar_one_or_none() is not None:
                    made.append(row["id"])
                    self._append(conn, pending, row["id"], "queued", {"status": "queued", "attempt": 0})
        return [self.get(job_id) for job_id in made]

    def children(self, parent_id: str) -> list[Job]:
        """The children of ``parent_id`` in the order they were made."""
        c = jobs_t.c
        query = sa.select(jobs_t).where(c.parent_id == parent_id).order_by(c.created_at, c.id)
        with self.engine.connect() as conn:
            return [to_job(r) for r in conn.execute(query).all()]

    def child_states(self, parent_id: str) -> list[ChildState]:
        """The children of ``parent_id`` in the order they were made, only what a live stream shows."""
        c = jobs_t.c
        columns = (c.id, c.kind, c.status, c.progress, c.stage, c.child_key, c.error_code, c.error_message)
        query = sa.select(*columns).where(c.parent_id == parent_id).order_by(c.created_at, c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            ChildState(
                id=r.id,
                kind=r.kind,
                status=JobStatus(r.status),
                progress=r.progress,
                stage=r.stage,
                child_key=r.child_key,
                error_code=r.error_code,
                error_message=r.error_message,
            )
            for r in rows
        ]

    def jobs_by_id(self, job_ids: Iterable[str]) -> dict[str, Job]:
        """The whole rows of those of ``job_ids`` that exist, by id, in one query: the first read of a
        parent's live stream worded each failed item's error from its row, one query per item."""
        wanted = list(dict.fromkeys(job_ids))
        if not wanted:
            return {}
        query = sa.select(jobs_t).where(jobs_t.c.id.in_(wanted))
        with self.engine.connect() as conn:
            return {job.id: job for job in map(to_job, conn.execute(query).all())}

    def get_without_payload(self, job_id: str, payload: dict[str, Any]) -> Job:
        """The job ``job_id`` with ``payload``, kept from an earlier read, in place of the stored one.

        A job's payload never changes once it is made, and a parent's (a batch's whole manifest) may be
        long: its live stream read it once a second. Raises ``JobNotFound`` as ``get`` does."""
        if not JOB_ID.match(job_id or ""):
            raise JobNotFound.of(job_id)
        columns = [column for column in jobs_t.c if column.name != "payload"]
        query = sa.select(*columns, sa.null().label("payload")).where(jobs_t.c.id == job_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise JobNotFound.of(job_id)
        return dataclasses.replace(to_job(cast("sa.Row[Any]", row)), payload=payload)

    def child_statuses(self, parent_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        """How many children each of ``parent_ids`` has in each status, in one query that reads no
        row: a list page of 100 parents read each one's every child, payload and all, to count them."""
        found: dict[str, dict[str, int]] = {parent: {} for parent in parent_ids}
        if not found:
            return found
        c = jobs_t.c
        query = (
            sa.select(c.parent_id, c.status, sa.func.count())
            .where(c.parent_id.in_(list(found)))
            .group_by(c.parent_id, c.status)
        )
        with self.engine.connect() as conn:
            for parent, status, n in conn.execute(query).all():
                found[str(parent)][str(status)] = int(n)
        return found

    def running_parents(self, kinds: Iterable[str]) -> list[Job]:
        """Jobs of these (parent) kinds that are still in progress."""
        names = list(kinds)
        if not names:
            return []
        c = jobs_t.c
        query = sa.select(jobs_t).where(c.status == JobStatus.IN_PROGRESS.value, c.kind.in_(names))
        with self.engine.connect() as conn:
            return [to_job(r) for r in conn.execute(query.order_by(c.created_at)).all()]

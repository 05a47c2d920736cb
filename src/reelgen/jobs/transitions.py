"""The worker side of the job store: claim, report progress, finish; all fenced by a token."""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa

from reelgen.jobs._sql import StoreCore, to_job
from reelgen.jobs.records import Job, JobStatus, StaleToken
from reelgen.jobs.schema import jobs as jobs_t

_RUNNING = JobStatus.IN_PROGRESS.value


class WorkerTransitions(StoreCore):
    """``claim_next`` hands out a new fencing token; every later call must present it."""

    def claim_next(
        self,
        worker_id: str,
        *,
        lease_s: float = 600.0,
        job_id: str | None = None,
        owner: str | None = None,
    ) -> Job | None:
        """Start the next queued job by (priority desc, created_at asc), or ``job_id`` if given.

        Returns the job ``in_progress`` with ``attempts`` counted up and a new
        ``token``, leased to ``owner`` (the claiming job service) for ``lease_s``;
        None when nothing is queued (or ``job_id`` is no longer queued). On
        PostgreSQL, ``FOR UPDATE SKIP LOCKED`` lets several dispatchers claim
        side by side.
        """
        c = jobs_t.c
        query = sa.select(c.id).where(c.status == JobStatus.QUEUED.value)
        if job_id is not None:
            query = query.where(c.id == job_id)
        query = query.order_by(c.priority.desc(), c.created_at.asc(), c.id.asc()).limit(1)
        now = time.time()
        with self._write() as (conn, pending):
            if conn.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            picked = conn.execute(query).scalar_one_or_none()
            if picked is None:
                return None
            row = conn.execute(
                sa.update(jobs_t)
                .where(c.id == picked, c.status == JobStatus.QUEUED.value)
                .values(
                    status=_RUNNING,
                    attempts=c.attempts + 1,
                    token=c.token + 1,
                    worker_id=worker_id,
                    owner=owner,
                    started_at=now,
                    updated_at=now,
                    lease_until=now + lease_s,
                    progress=0,
                    stage=None,
                    step=None,
                    total=None,
                    eta_s=None,
                )
                .returning(*jobs_t.c)
            ).first()
            if row is None:
                return None
            job = to_job(row)
            self._append(
                conn,
                pending,
                job.id,
                "started",
                {"status": _RUNNING, "attempt": job.attempts, "worker": worker_id},
            )
        return job

    def next_queued(self) -> Job | None:
        """The job ``claim_next`` would start now, without claiming it."""
        c = jobs_t.c
        query = (
            sa.select(jobs_t)
            .where(c.status == JobStatus.QUEUED.value)
            .order_by(c.priority.desc(), c.created_at.asc(), c.id.asc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else to_job(row)

    def _fenced(self, job_id: str, token: int) -> sa.ColumnElement[bool]:
        c = jobs_t.c
        return sa.and_(c.id == job_id, c.token == token, c.status == _RUNNING)

    def _stale(self, job_id: str, token: int) -> StaleToken:
        return StaleToken(
            f"job {job_id}: attempt with token {token} is no longer current "
            "(the job was requeued, finished, cancelled or deleted meanwhile)"
        )

    def progress(
        self,
        job_id: str,
        token: int,
        *,
        stage: str,
        step: int,
        total: int,
        eta_s: float | None = None,
        progress: int | None = None,
        preview_png_b64: str | None = None,
        message: str | None = None,
        lease_s: float = 600.0,
    ) -> bool:
        """Record a progress event and extend the lease; returns whether a cancel was requested.

        ``progress`` is the job's overall percentage (default ``step/total``,
        held below 100 until ``complete``). ``preview_png_b64`` is a small PNG
        of the clip being formed, sent every few steps.
        """
        pct = progress if progress is not None else (100 * step // total if total else 0)
        pct = max(0, min(99, pct))
        now = time.time()
        with self._write() as (conn, pending):
            flag = conn.execute(
                sa.update(jobs_t)
                .where(self._fenced(job_id, token))
                .values(
                    progress=pct,
                    stage=stage,
                    step=step,
                    total=total,
                    eta_s=eta_s,
                    updated_at=now,
                    lease_until=now + lease_s,
                )
                .returning(jobs_t.c.cancel_requested)
            ).scalar_one_or_none()
            if flag is None:
                raise self._stale(job_id, token)
            data: dict[str, Any] = {
                "progress": pct,
                "stage": stage,
                "step": step,
                "total": total,
                "eta_s": None if eta_s is None else round(eta_s, 2),
            }
            if message:
                data["message"] = message
            if preview_png_b64:
                data["preview"] = preview_png_b64
            self._append(conn, pending, job_id, "progress", data)
        return bool(flag)

    def heartbeat(self, job_id: str, token: int, *, lease_s: float = 600.0) -> bool:
        """Extend the lease without an event; returns whether a cancel was requested."""
        now = time.time()
        with self._write() as (conn, _pending):
            flag = conn.execute(
                sa.update(jobs_t)
                .where(self._fenced(job_id, token))
                .values(updated_at=now, lease_until=now + lease_s)
                .returning(jobs_t.c.cancel_requested)
            ).scalar_one_or_none()
        if flag is None:
            raise self._stale(job_id, token)
        return bool(flag)

    def _finish(
        self,
        job_id: str,
        token: int,
        status: JobStatus,
        values: dict[str, Any],
        data: dict[str, Any],
    ) -> Job:
        now = time.time()
        with self._write() as (conn, pending):
            row = conn.execute(
                sa.update(jobs_t)
                .where(self._fenced(job_id, token))
                .values(
                    status=status.value,
                    completed_at=now,
                    updated_at=now,
                    lease_until=None,
                    **values,
                )
                .returning(*jobs_t.c)
            ).first()
            if row is None:
                raise self._stale(job_id, token)
            self._append(conn, pending, job_id, status.value, {"status": status.value, **data})
        return to_job(row)

    def complete(
        self, job_id: str, token: int, result: dict[str, Any], metrics: dict[str, Any] | None = None
    ) -> Job:
        """Mark the attempt's job ``completed`` with its ``result`` (output paths, metadata)."""
        return self._finish(
            job_id,
            token,
            JobStatus.COMPLETED,
            {
                "result": result,
                "metrics": metrics or {},
                "progress": 100,
                "error_code": None,
                "error_message": None,
            },
            {"progress": 100},
        )

    def fail(
        self,
        job_id: str,
        token: int,
        code: str,
        message: str,
        metrics: dict[str, Any] | None = None,
    ) -> Job:
        """Mark the attempt's job ``failed`` with an error ``code`` and a message saying why."""
        return self._finish(
            job_id,
            token,
            JobStatus.FAILED,
            {"error_code": code, "error_message": message, "metrics": metrics or {}},
            {"error": {"code": code, "message": message}},
        )

    def finish_cancelled(
        self,
        job_id: str,
        token: int,
        message: str = "cancelled by request",
        metrics: dict[str, Any] | None = None,
    ) -> Job:
        """Mark the attempt's job ``cancelled`` after its worker stopped."""
        return self._finish(
            job_id,
            token,
            JobStatus.CANCELLED,
            {"error_code": "cancelled", "error_message": message, "metrics": metrics or {}},
            {"error": {"code": "cancelled", "message": message}},
        )

    def requeue_or_fail(
        self,
        job_id: str,
        token: int,
        *,
        code: str = "worker_lost",
        message: str = "the worker was lost",
    ) -> Job:
        """After a lost attempt: ``queued`` again if attempts remain, else ``failed`` with ``code``.

        A job whose cancel was requested becomes ``cancelled`` instead.
        """
        job = self.get(job_id)
        if job.token != token or job.status is not JobStatus.IN_PROGRESS:
            raise self._stale(job_id, token)
        if job.cancel_requested:
            return self.finish_cancelled(job_id, token, "cancelled by request; the worker stopped")
        if job.attempts >= job.max_attempts:
            return self.fail(
                job_id,
                token,
                code,
                f"{message}; gave up after {job.attempts} of {job.max_attempts} attempts",
            )
        return self._back_to_queue(job_id, token, attempts=jobs_t.c.attempts, reason=message)

    def release(self, job_id: str, token: int, reason: str = "the service stopped") -> Job:
        """Put a running job back in the queue without counting the attempt (orderly shutdown).

        A job whose cancel was requested becomes ``cancelled`` instead: queued again, it showed
        as waiting after the restart and was started once more before the cancel stopped it.
        """
        job = self.get(job_id)
        if job.cancel_requested and job.token == token and job.status is JobStatus.IN_PROGRESS:
            return self.finish_cancelled(
                job_id, token, f"cancelled by request; {reason} before its worker did"
            )
        return self._back_to_queue(job_id, token, attempts=jobs_t.c.attempts - 1, reason=reason)

    def _back_to_queue(self, job_id: str, token: int, *, attempts: Any, reason: str) -> Job:
        now = time.time()
        with self._write() as (conn, pending):
            row = conn.execute(
                sa.update(jobs_t)
                .where(self._fenced(job_id, token))
                .values(
                    status=JobStatus.QUEUED.value,
                    attempts=attempts,
                    worker_id=None,
                    lease_until=None,
                    started_at=None,
                    updated_at=now,
                    progress=0,
                    stage=None,
                    step=None,
                    total=None,
                    eta_s=None,
                )
                .returning(*jobs_t.c)
            ).first()
            if row is None:
                raise self._stale(job_id, token)
            job = to_job(row)
            self._append(
                conn,
                pending,
                job_id,
                "queued",
                {"status": "queued", "attempt": job.attempts, "reason": reason},
            )
        return job

    def expired_leases(self, now: float | None = None) -> list[Job]:
        """Running jobs whose lease ran out: the job service running them stopped renewing it.

        A row with no lease (a parent job: its driver, not a worker, runs it) never expires.
        """
        now = time.time() if now is None else now
        c = jobs_t.c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(jobs_t).where(c.status == _RUNNING, c.lease_until < now)).all()
        return [to_job(r) for r in rows]

    def renew_leases(self, owner: str, lease_s: float, job_ids: Collection[str]) -> list[str]:
        """Extend the lease of the jobs ``job_ids`` that ``owner`` runs; returns the ids whose cancel
        was requested.

        The owner calls this every quarter lease with the jobs it still follows, so they stay its
        own however long a step takes, and a cancel sent to another API process reaches it. A job
        it runs no more (its end could not be written: a full disk, a database restart) is left
        to lapse, and is requeued then; renewing every job of the owner kept such a job
        in_progress for as long as any other job ran here.
        """
        now = time.time()
        c = jobs_t.c
        with self._write() as (conn, _pending):
            rows = conn.execute(
                sa.update(jobs_t)
                .where(c.owner == owner, c.status == _RUNNING, c.id.in_(list(job_ids)))
                .values(lease_until=now + lease_s)
                .returning(c.id, c.cancel_requested)
            ).all()
        return [r.id for r in rows if r.cancel_requested]

    def cancels_wanted(self, owner: str) -> list[str]:
        """Ids of jobs ``owner`` runs whose cancel was requested (perhaps through another process)."""
        c = jobs_t.c
        query = sa.select(c.id).where(c.owner == owner, c.status == _RUNNING, c.cancel_requested.is_(True))
        with self.engine.connect() as conn:
            return [r.id for r in conn.execute(query).all()]

    def running_owned(self) -> list[Job]:
        """Running jobs that carry an owner (worker jobs; parents have none)."""
        c = jobs_t.c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(jobs_t).where(c.status == _RUNNING, c.owner.is_not(None))).all()
        return [to_job(r) for r in rows]

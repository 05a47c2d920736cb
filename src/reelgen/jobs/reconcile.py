"""Puts the job store right after crashes (orphaned running jobs) and removes expired outputs."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path

from reelgen.jobs import kinds
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.records import Job, JobNotFound, StaleToken
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore

log = logging.getLogger(__name__)

DAY_S = 86400.0


def _requeue(store: JobStore, job: Job, message: str) -> Job | None:
    try:
        return store.requeue_or_fail(job.id, job.token, code="worker_lost", message=message)
    except (StaleToken, JobNotFound):
        return None  # it moved on by itself meanwhile


def recover(store: JobStore, except_kinds: Iterable[str] = ()) -> list[Job]:
    """At service start: every worker job left ``in_progress`` lost its run with the old process.

    Each is requeued if attempts remain, else failed with ``worker_lost``.
    Jobs of ``except_kinds`` (parents: they run on no worker) are left to
    their driver. One dispatcher per database is assumed; with several, use
    ``requeue_expired`` alone.
    """
    out = []
    for job in store.in_progress(except_kinds=except_kinds):
        done = _requeue(store, job, "the service stopped while the job was running")
        if done is not None:
            log.info("%s: recovered after restart -> %s", job.id, done.status.value)
            out.append(done)
    return out


def requeue_expired(store: JobStore, skip: set[str] | None = None) -> list[Job]:
    """Running jobs whose lease ran out (their dispatcher is gone), except those in ``skip``."""
    out = []
    for job in store.expired_leases():
        if skip and job.id in skip:
            continue
        done = _requeue(store, job, "nothing reported on the job before its lease ran out")
        if done is not None:
            out.append(done)
    return out


def cleanup(
    store: JobStore, artifacts: Artifacts, settings: JobSettings, now: float | None = None
) -> dict[str, int]:
    """Delete outputs older than ``retention_days`` and records older than ``record_retention_days``.

    A record another job refers to (a remix of it) is kept; queued and
    running jobs are never touched; output folders with no record left
    (a crash between writing and recording) and uploaded inputs past
    retention that no waiting job needs are removed too.
    """
    now = time.time() if now is None else now
    removed_outputs = removed_records = orphans = 0
    for job in store.finished_before(now - settings.retention_days * DAY_S):
        artifacts.delete(job.id)
        store.mark_data_removed(job.id)
        removed_outputs += 1
    for job in store.finished_before(now - settings.record_retention_days * DAY_S, with_data=False):
        if store.referenced(job.id):
            continue
        try:
            store.delete(job.id)
            removed_records += 1
        except JobNotFound:
            pass
    inputs = _remove_old_inputs(store, artifacts, now - settings.retention_days * DAY_S)
    on_disk = artifacts.job_ids()
    known = store.known_ids(on_disk) if on_disk else set()
    for job_id in on_disk:
        if job_id not in known:
            artifacts.delete(job_id)
            orphans += 1
    return {"outputs": removed_outputs, "records": removed_records, "orphans": orphans, "inputs": inputs}


def _remove_old_inputs(store: JobStore, artifacts: Artifacts, cutoff: float) -> int:
    """Uploaded inputs older than ``cutoff`` that no queued or running job still needs."""
    if not artifacts.inputs.is_dir():
        return 0
    needed = {str(Path(value).resolve()) for job in store.active() for value in kinds.input_paths(job)}
    removed = 0
    for path in artifacts.inputs.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff and str(path.resolve()) not in needed:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

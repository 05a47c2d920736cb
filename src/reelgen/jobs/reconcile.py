"""Puts the job store right after crashes (orphaned running jobs) and removes expired outputs."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path

from reelgen.jobs import _scratch_sweep, kinds, owners
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


def orphans(store: JobStore, now: float | None = None) -> list[Job]:
    """Running jobs no live job service holds: their lease ran out, or their owner was a process of
    this machine that is gone. A job another API process still renews is never among them."""
    now = time.time() if now is None else now
    found = {job.id: job for job in store.expired_leases(now)}
    for job in store.running_owned():
        if job.id not in found and owners.gone(job.owner):
            found[job.id] = job
    return list(found.values())


def recover(store: JobStore, skip: Iterable[str] = (), now: float | None = None) -> list[Job]:
    """Requeue (attempts remaining) or fail ``worker_lost`` every orphaned running job, except ``skip``.

    Run at service start and every dispatcher pass; safe with several API
    processes on one database, because a job whose owner renews its lease is
    no orphan. Parent jobs carry no lease: their driver resumes them.
    """
    skipped = set(skip)
    out = []
    for job in orphans(store, now):
        if job.id in skipped:
            continue
        why = "its API process is gone" if owners.gone(job.owner) else "its lease ran out"
        done = _requeue(store, job, f"the job service running it stopped ({why})")
        if done is not None:
            log.info("%s: recovered (%s) -> %s", job.id, why, done.status.value)
            out.append(done)
    return out


def cleanup(
    store: JobStore, artifacts: Artifacts, settings: JobSettings, now: float | None = None
) -> dict[str, int]:
    """Delete outputs older than ``retention_days`` and records older than ``record_retention_days``.

    A period of 0 (or less) keeps those forever, as the API says of outputs
    (``expires_at`` null). A record another job refers to (a remix of it) is
    kept; queued and running jobs are never touched; output folders of jobs
    this store deleted (a crash between the record and the files), uploaded inputs
    past retention that no waiting job needs, and scratch folders of runs that no
    longer run (those of a server in another container too) are removed too.
    """
    now = time.time() if now is None else now
    removed_outputs = removed_records = orphans = inputs = 0
    # 0 used to put the cutoff at now: every finished output went at the next pass, while each
    # video object said it never expires.
    keep_outputs = settings.retention_days <= 0
    if not keep_outputs:
        for job in store.finished_before(now - settings.retention_days * DAY_S):
            artifacts.delete(job.id)
            if artifacts.job_dir(job.id).exists():
                # Files it could not remove were recorded as removed all the same: the disk never
                # freed, and nobody told. Said (by ``delete``), and tried again at the next pass.
                continue
            store.mark_data_removed(job.id)
            removed_outputs += 1
    if settings.record_retention_days > 0:
        for job in store.finished_before(now - settings.record_retention_days * DAY_S, with_data=False):
            # A record goes only once its outputs have: without it they would be swept as orphans,
            # outliving neither a longer ``retention_days`` nor a 0 (forever).
            if not job.data_removed or store.referenced(job.id):
                continue
            try:
                store.delete(job.id)
                removed_records += 1
            except JobNotFound:
                pass
    if not keep_outputs:
        inputs = _remove_old_inputs(store, artifacts, now - settings.retention_days * DAY_S)
    on_disk = artifacts.job_ids()
    unknown = sorted(set(on_disk) - store.known_ids(on_disk)) if on_disk else []
    deleted = store.deleted_ids(unknown) if unknown else set()
    for job_id in unknown:
        # A folder no record names may be another database's, whose server shares this data folder:
        # every video of that one went within the hour. Only a job this store deleted (a crash
        # between the record and the files, a running job's last save) or a folder with no file
        # in it goes.
        if job_id in deleted or not _holds_files(artifacts.job_dir(job_id)):
            artifacts.delete(job_id)
            orphans += 1
    scratch = sweep_scratch(store, settings)
    return {
        "outputs": removed_outputs,
        "records": removed_records,
        "orphans": orphans,
        "inputs": inputs,
        "scratch": scratch,
    }


def sweep_scratch(store: JobStore, settings: JobSettings) -> int:
    """Remove the scratch folders of runs that no longer run under the service that made them, a
    server's in another container included (see ``_scratch_sweep``); returns how many went."""
    return _scratch_sweep.sweep_runs(
        Path(settings.data_dir) / "scratch",
        lambda: {job.id: job.owner for job in store.running_owned()},
        owners.scratch_name(),
    )


def _holds_files(folder: Path) -> bool:
    try:
        return any(path.is_file() for path in folder.rglob("*"))
    except OSError:  # unreadable: kept, as one holding files would be
        return True


def _remove_old_inputs(store: JobStore, artifacts: Artifacts, cutoff: float) -> int:
    """Uploaded inputs older than ``cutoff`` that no job still needs: none queued or running, none
    finished whose outputs are kept. An upload's age is when it came, not when its job ended: one
    that waited in a long queue lost its image while its video was kept, and a remix of it failed."""
    if not artifacts.inputs.is_dir():
        return 0
    holding = store.holding_inputs()
    # Where each lies now: a queued job's upload recorded under a moved data folder's old path was
    # not counted as needed, and went once it was old enough.
    needed = {
        str(Path(artifacts.input_here(value)).resolve())
        for job in holding
        for value in kinds.input_paths(job)
    }
    removed = 0
    for path in artifacts.inputs.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff and str(path.resolve()) not in needed:
                path.unlink(missing_ok=True)
                removed += 1
        except FileNotFoundError:
            pass  # a deleted job's upload, removed meanwhile
        except OSError as exc:  # one file left is said; it stopped the whole pass (scratch too) for an hour
            log.warning("cannot remove the old upload %s (%s); the rest are cleaned up", path, exc)
    return removed

"""How a run ends in the store: completed once its files check out, failed, cancelled, or requeued."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

from reelgen.core.errors import GenerationFailed
from reelgen.jobs._unsaved import NotSaved
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.events import FinalEvent, RunCancelled, RunError, RunResult
from reelgen.jobs.records import JobNotFound, StaleToken
from reelgen.jobs.run import Run
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore

log = logging.getLogger(__name__)


class Outcome:
    """Writes the end of each run; every write is fenced, so a superseded run changes nothing."""

    def __init__(self, store: JobStore, artifacts: Artifacts, settings: JobSettings) -> None:
        self.store = store
        self.artifacts = artifacts
        self.settings = settings

    def metrics(self, run: Run, result: RunResult | None = None) -> dict[str, Any]:
        """Queue and run seconds, GPU seconds, peak VRAM and cost of this attempt."""
        job = run.job
        now = time.time()
        started = job.started_at or now
        run_s = max(0.0, now - started)
        gpu_s = run_s * run.slot.gpus
        return {
            "queue_s": round(max(0.0, started - job.created_at), 3),
            "run_s": round(run_s, 3),
            "gpu_s": round(gpu_s, 3),
            "peak_vram_gib": result.peak_vram_gib if result else None,
            "cost": round(gpu_s / 3600.0 * self.settings.price_per_gpu_hour, 6),
            "worker": run.slot.id,
            "device": (result.device if result else None) or run.slot.info.get("device"),
        }

    def finish(self, run: Run, event: FinalEvent) -> None:
        """The worker's last event: a result, a cancellation or an error."""
        job = run.job
        if run.stale:
            return
        try:
            if isinstance(event, RunResult):
                self._complete(run, event)
            elif isinstance(event, RunCancelled):
                self.store.finish_cancelled(job.id, job.token, event.message, self.metrics(run))
            elif isinstance(event, RunError):
                self.store.fail(job.id, job.token, event.code, event.message, self.metrics(run))
        except (StaleToken, JobNotFound):
            log.info("%s: result of a superseded attempt dropped", job.id)

    def _complete(self, run: Run, event: RunResult) -> None:
        job = run.job
        try:
            paths = self.artifacts.save(job.id, job.token, event.files)
        except NotSaved as exc:
            log.error("%s: %s; the job failed", job.id, exc.detail)
            self.store.fail(job.id, job.token, exc.code, exc.message, self.metrics(run, event))
            return
        folder = self.artifacts.job_dir(job.id) / str(job.token)
        try:
            checked = run.kind.check(job, {k: Path(v) for k, v in paths.items()}, event)
        except GenerationFailed as exc:
            shutil.rmtree(folder, ignore_errors=True)
            self.store.fail(job.id, job.token, exc.code, exc.message, self.metrics(run, event))
            return
        result = {
            "files": paths,
            **checked,
            "bytes": len(event.files.get("video", b"")),
            "timings": event.timings,
            "metadata": json.loads(event.files["metadata"]) if "metadata" in event.files else {},
        }
        try:
            self.store.complete(job.id, job.token, result, self.metrics(run, event))
        except (StaleToken, JobNotFound):
            # Superseded, the job's folder may hold the attempt that counts: only this one's goes.
            shutil.rmtree(folder, ignore_errors=True)
            if self._deleted(job.id):
                # The delete took the job's folder, which the save above made again: it was left empty.
                self.artifacts.delete(job.id)
            raise

    def _deleted(self, job_id: str) -> bool:
        try:
            self.store.get(job_id)
        except JobNotFound:
            return True
        return False

    def lost(self, run: Run, message: str) -> None:
        """The worker died or vanished mid-run: requeue while attempts remain, else ``worker_lost``."""
        if run.stale:
            return
        with contextlib.suppress(StaleToken, JobNotFound):
            self.store.requeue_or_fail(run.job.id, run.job.token, code="worker_lost", message=message)

    def overdue(self, run: Run, reason: str) -> None:
        """The watchdog killed the worker; the job ends by why it did."""
        job, s = run.job, self.settings
        if run.stale:
            return
        try:
            if reason == "cancel":
                self.store.finish_cancelled(
                    job.id,
                    job.token,
                    f"cancelled; the worker did not stop within {s.cancel_grace_s:g} s and was restarted",
                    self.metrics(run),
                )
            elif run.cancel_sent is not None:
                # Asked to stop and now stopped: a limit reached before the cancel's step boundary
                # failed the job `timeout`, or (stalled) put it back in the queue to run again.
                self.store.finish_cancelled(
                    job.id,
                    job.token,
                    "cancelled; the worker was restarted to stop it ("
                    + ("REELGEN_MAX_RUNTIME_S" if reason == "runtime" else "REELGEN_HEARTBEAT_TIMEOUT_S")
                    + " ran out first)",
                    self.metrics(run),
                )
            elif reason == "runtime":
                self.store.fail(
                    job.id,
                    job.token,
                    "timeout",
                    f"the job ran longer than the limit of {s.max_runtime_s:g} s "
                    "(REELGEN_MAX_RUNTIME_S); its worker was restarted",
                    self.metrics(run),
                )
            else:
                self.store.requeue_or_fail(
                    job.id,
                    job.token,
                    code="worker_lost",
                    message=f"no progress for {s.heartbeat_timeout_s:g} s "
                    "(REELGEN_HEARTBEAT_TIMEOUT_S); its worker was restarted",
                )
        except (StaleToken, JobNotFound):
            pass

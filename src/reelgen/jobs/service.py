"""The job service the API runs: store, Ray workers, dispatcher, webhooks and cleanup in one object.

It never imports torch: models run only in the Ray worker processes.

    service = JobService(JobSettings())
    service.start()                       # private Ray on loopback, or RAY_ADDRESS
    job = service.submit(GenerationRequest(model="ltx-tiny", prompt="a fox"))
    job = service.wait(job.id, timeout_s=600)
    path = service.content(job.id)        # the MP4, or None
    service.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelgen.core.spec.request import GenerationRequest
from reelgen.jobs import reconcile
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.cluster import WorkerPool, init_ray, shutdown_ray
from reelgen.jobs.dispatcher import Dispatcher
from reelgen.jobs.records import (
    DEFAULT_WEBHOOK_EVENTS,
    EVENT_TYPES,
    Job,
    JobEvent,
    JobStatus,
)
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore, body_hash
from reelgen.jobs.webhooks import WebhookSender

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Webhook:
    """Where to POST a job's events, and which of ``EVENT_TYPES`` to send (default: terminal ones)."""

    url: str
    events: list[str] = field(default_factory=lambda: list(DEFAULT_WEBHOOK_EVENTS))

    def __post_init__(self) -> None:
        from reelgen.core.errors import InvalidRequest

        unknown = [e for e in self.events if e not in EVENT_TYPES]
        if unknown:
            raise InvalidRequest(
                f"webhook events {unknown} are unknown; valid: {', '.join(EVENT_TYPES)}",
                param="webhook.events",
            )
        if not self.url.startswith(("http://", "https://")):
            raise InvalidRequest(
                f"webhook url {self.url!r} must start with http:// or https://",
                param="webhook.url",
            )


class JobService:
    """Owns the job store and the workers; thread-safe; ``start()`` before submitting work.

    ``worker_setup`` runs in every worker process before it takes jobs
    (e.g. to register a backend that is no installed plugin); it must be
    picklable by Ray.
    """

    def __init__(
        self,
        settings: JobSettings | None = None,
        *,
        worker_setup: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings or JobSettings()
        self.store = JobStore(self.settings.resolved_database_url(), max_queue=self.settings.max_queue)
        self.artifacts = Artifacts(self.settings.data_dir)
        self.pool = WorkerPool(self.settings, worker_setup)
        self.dispatcher = Dispatcher(self.store, self.artifacts, self.pool, self.settings)
        self.webhooks = WebhookSender(self.store, self.settings)
        self.started = False
        self._ray_temp: str | None = None
        self._waiters = threading.Condition()
        self._unsubscribe: Callable[[], None] | None = None

    # ---- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Recover jobs a previous process left running, start Ray and the workers, dispatch."""
        if self.started:
            return
        reconcile.recover(self.store)
        self._ray_temp = init_ray(self.settings)
        self._unsubscribe = self.store.subscribe(self._on_event)
        self.webhooks.start()
        self.pool.ensure()
        self.dispatcher.start()
        self.started = True

    def stop(self) -> None:
        """Stop dispatching; running jobs return to the queue (no attempt lost); workers end."""
        if not self.started:
            return
        self.dispatcher.stop()
        self.pool.stop()
        self.dispatcher.join_runs()
        self.webhooks.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
        shutdown_ray(self._ray_temp)
        self._ray_temp = None
        self.started = False

    def __enter__(self) -> JobService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def ready(self) -> bool:
        """Started, with at least one worker answering."""
        return self.started and any(s.alive for s in self.pool.slots)

    @property
    def webhook_secret(self) -> str:
        """The key webhook signatures are made with (``reelgen.jobs.webhooks.verify`` checks them)."""
        return self.webhooks.secret

    # ---- jobs ---------------------------------------------------------------------------

    def submit(
        self,
        request: GenerationRequest,
        priority: int = 0,
        idempotency_key: str | None = None,
        webhook: Webhook | None = None,
        *,
        request_hash: str | None = None,
        metadata: dict[str, Any] | None = None,
        remixed_from: str | None = None,
    ) -> Job:
        """Check ``request`` against its model, fill its defaults and seed, and queue it.

        Raises the core's InvalidRequest / UnsupportedTask / ModelNotAvailable
        for a bad request, ``IdempotencyConflict`` for a reused key with
        another body and ``QueueFull`` (with ``retry_after_s``). The key is
        bound to ``request_hash`` (default: the request as given, priority
        and webhook), so a retry without a seed still matches. The job is
        committed when this returns.
        """
        from reelgen.core.validate import resolve_request

        fingerprint = request_hash or body_hash(
            {
                "request": request.model_dump(mode="json"),
                "priority": priority,
                "webhook": None if webhook is None else [webhook.url, list(webhook.events)],
            }
        )
        if idempotency_key is not None:
            # A replay must not fail just because the model since went away.
            existing = self.store.find_by_key(idempotency_key, fingerprint)
            if existing is not None:
                return existing
        _, _, resolved = resolve_request(request)
        job = self.store.create(
            resolved,
            priority=priority,
            idempotency_key=idempotency_key,
            body_hash=fingerprint,
            webhook_url=webhook.url if webhook else None,
            webhook_events=list(webhook.events) if webhook else None,
            max_attempts=self.settings.max_attempts,
            metadata=metadata,
            remixed_from=remixed_from,
        )
        self.dispatcher.wake()
        return job

    def get(self, job_id: str) -> Job:
        return self.store.get(job_id)

    def cancel(self, job_id: str) -> Job:
        """Queued: cancelled at once. Running: the worker stops at its next step (killed after
        ``cancel_grace_s``). Finished: returned unchanged."""
        job = self.store.cancel(job_id)
        if job.status is JobStatus.IN_PROGRESS:
            self.dispatcher.cancel(job_id)
        return job

    def delete(self, job_id: str) -> Job:
        """Delete a job's record and files; a running job is stopped first."""
        job = self.store.get(job_id)
        if job.status is JobStatus.IN_PROGRESS:
            self.store.cancel(job_id)
            self.dispatcher.cancel(job_id)
        job = self.store.delete(job_id, force=True)
        self.artifacts.delete(job_id)
        return job

    def content(self, job_id: str, variant: str = "video") -> Path | None:
        """The file of ``variant`` (video, thumbnail, metadata) of a completed job, or None."""
        return self.artifacts.path(self.store.get(job_id), variant)

    def wait(self, job_id: str, timeout_s: float | None = None) -> Job:
        """Block until the job is completed, failed or cancelled (or ``timeout_s`` passed)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with self._waiters:
            while True:
                job = self.store.get(job_id)
                remaining = None if deadline is None else deadline - time.monotonic()
                if job.terminal or (remaining is not None and remaining <= 0):
                    return job
                # Events from this process wake us; the timeout catches other processes' writes.
                self._waiters.wait(1.0 if remaining is None else min(1.0, remaining))

    def _on_event(self, _event: JobEvent) -> None:
        with self._waiters:
            self._waiters.notify_all()

    # ---- system -------------------------------------------------------------------------

    def system(self) -> dict[str, Any]:
        """Workers (device, VRAM, loaded models, current job), GPU count and queue length."""
        for slot in list(self.pool.slots):
            if slot.alive:
                self.pool.refresh(slot, timeout_s=5.0)
        workers = self.pool.describe()
        counts = self.store.counts()
        return {
            "workers": workers,
            "gpus": sum(w["gpus"] for w in workers),
            "vram_total_gib": sum(w.get("total_vram_gib") or 0.0 for w in workers),
            "vram_free_gib": sum(w.get("free_vram_gib") or 0.0 for w in workers),
            "loaded_models": sorted({m for w in workers for m in w.get("loaded_models") or []}),
            "queue": {"queued": counts["queued"], "in_progress": counts["in_progress"]},
            "jobs": counts,
            "ray": {"address": self.settings.ray_address, "embedded": self._ray_temp is not None},
        }

    def free(self, idle_seconds: float = 0.0) -> dict[str, list[str]]:
        """Unload models idle for ``idle_seconds`` on every worker; returns what each freed."""
        import ray

        freed: dict[str, list[str]] = {}
        for slot in list(self.pool.slots):
            if not slot.alive:
                continue
            try:
                freed[slot.id] = ray.get(slot.actor.free.remote(idle_seconds), timeout=60)
            except ray.exceptions.RayError as exc:
                log.warning("%s could not free models: %s", slot.id, exc)
            self.pool.refresh(slot, timeout_s=5.0)
        return freed

    def cleanup(self) -> dict[str, int]:
        """Run retention cleanup now (it also runs every ``cleanup_every_s``)."""
        return reconcile.cleanup(self.store, self.artifacts, self.settings)

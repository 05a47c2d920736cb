"""The job service the API runs: store, engine, dispatcher, parent jobs, webhooks and cleanup in one object.

It never imports torch: models run only in the worker processes. The API
and CLI ask its methods; they never reach into its store, engine or artifacts.

    service = JobService(JobSettings())
    service.start()                       # local worker processes, or Ray (RAY_ADDRESS)
    resolved = reelgen.core.spec.resolve(GenerationRequest(model="wan-tiny", prompt="a fox"))
    job = service.submit(resolved)        # kind "render"; other kinds: submit(payload, kind=...)
    job = service.wait(job.id, timeout_s=600)
    path = service.content(job.id)        # the MP4, or None
    service.stop()
"""

from __future__ import annotations

import builtins
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from reelgen.jobs import kinds, owners, reconcile
from reelgen.jobs._reads import JobReads
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.dispatcher import Dispatcher
from reelgen.jobs.engine import make_engine
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.private_folder import private_folder as private_folder
from reelgen.jobs.records import (
    ChildState,
    EngineUnavailable,
    InvalidTransition,
    Job,
    JobEvent,
    JobNotFound,
    JobPage,
    JobStatus,
)
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore, fingerprint
from reelgen.jobs.supervisor import EngineHost
from reelgen.jobs.system_report import system_report
from reelgen.jobs.webhooks import Webhook, WebhookSender

log = logging.getLogger(__name__)


class JobService:
    """Owns the job store and the workers; thread-safe; ``start()`` before work can run.

    ``worker_setup`` runs in every worker process before it takes jobs (e.g. to
    register a family or job kind that is no installed plugin); it must be
    picklable (by reference for the local engine, by Ray for Ray).
    """

    def __init__(
        self,
        settings: JobSettings | None = None,
        *,
        worker_setup: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings or JobSettings()
        private_folder(self.settings.data_dir)
        self.store = JobStore(self.settings.resolved_database_url(), max_queue=self.settings.max_queue)
        self.artifacts = Artifacts(self.settings.data_dir)
        self.reads = JobReads(self.store)
        #: The name this service leases the jobs it runs under (``reelgen.jobs.owners``).
        self.owner = owners.new_owner()
        self.engine = make_engine(self.settings, worker_setup)
        self.dispatcher = Dispatcher(self.store, self.artifacts, self.engine, self.settings, self.owner)
        self.host = EngineHost(self.engine, on_lost=self.dispatcher.engine_lost)
        self.parents = ParentDriver(
            self.store,
            cancel_job=self.cancel,
            wake=self.dispatcher.wake,
            max_attempts=self.settings.max_attempts,
        )
        self.webhooks = WebhookSender(self.store, self.settings)
        self.started = False
        self._waiters = threading.Condition()
        self._unsubscribe: Callable[[], None] | None = None

    # ---- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Recover jobs a dead process left running, resume parents, start the engine and dispatch.

        The engine is started (and later watched, restarted and stopped) by its own
        thread, whichever thread calls this; it returns once the engine is up.
        """
        if self.started:
            return
        reconcile.recover(self.store)
        self._unsubscribe = self.store.subscribe(self._on_event)
        self.parents.start()
        self.webhooks.start()
        try:
            self.host.start()
        except BaseException:
            self._stop_helpers()
            raise
        self.dispatcher.start()
        self.started = True

    def stop(self) -> None:
        """Stop dispatching; running jobs return to the queue (no attempt lost; one whose cancel was
        asked is cancelled); workers end."""
        if not self.started:
            return
        self.dispatcher.stop()
        self.host.stop()
        self.dispatcher.join_runs()
        self._stop_helpers()
        self.started = False

    def _stop_helpers(self) -> None:
        self.parents.stop()
        self.webhooks.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def __enter__(self) -> JobService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def health(self) -> str | None:
        """None when jobs can run now, else why not; looks at the engine each time, nothing cached."""
        if not self.started:
            return "the job service is not started"
        if not self.host.alive:
            return "the engine thread stopped"
        if self.host.restarting is not None:
            return f"the {self.engine.name} engine is restarting after: {self.host.restarting}"
        if self.dispatcher.trouble.database is not None:  # stopped, unreachable or full: no job can start
            return self.dispatcher.trouble.database
        down = self.engine.health()
        return None if down is None else down.reason

    @property
    def ready(self) -> bool:
        """Started, with the engine up and at least one worker answering (a live check)."""
        return self.health() is None

    def refusing(self) -> str | None:
        """Why new jobs are refused now (the engine died and is being restarted), or None."""
        if self.started and self.host.restarting is not None:
            return f"the {self.engine.name} engine is restarting after: {self.host.restarting}"
        return None

    @property
    def webhook_secret(self) -> str:
        """The key webhook signatures are made with (``reelgen.jobs.webhooks.verify`` checks them)."""
        return self.webhooks.secret

    # ---- submitting -----------------------------------------------------------------------

    def submit(self, payload: BaseModel, **options: Any) -> Job:
        """Queue a job (see ``submit_or_replay``, whose job this returns)."""
        return self.submit_or_replay(payload, **options)[0]

    def submit_or_replay(
        self,
        payload: BaseModel,
        *,
        kind: str = kinds.RENDER,
        priority: int = 0,
        idempotency_key: str | None = None,
        webhook: Webhook | None = None,
        body_fingerprint: str | None = None,
        metadata: dict[str, Any] | None = None,
        remixed_from: str | None = None,
    ) -> tuple[Job, bool]:
        """Queue a job of ``kind`` (``render``: ``payload`` is a ``ResolvedRequest``; nothing here resolves).

        Returns the job and whether it is the replay of an earlier submit. The
        Idempotency-Key is bound to ``body_fingerprint`` (default: the payload,
        priority and webhook); of several concurrent submits with one key exactly
        one makes the job. Raises ``IdempotencyConflict`` for a reused key with
        another body, ``QueueFull`` (with ``retry_after_s``), and ``EngineUnavailable``
        while a dead engine is being started again. The job is
        committed when this returns; a parent kind has made its first children.
        """
        refusing = self.refusing()
        if refusing is not None:
            raise EngineUnavailable(f"{refusing}; new jobs are taken again in a few seconds, retry then")
        handler = kinds.get(kind)
        if not isinstance(payload, handler.payload_model):
            raise TypeError(
                f"a {kind} job takes a {handler.payload_model.__name__}, not {type(payload).__name__}"
                + (" (resolve it first: reelgen.core.spec.resolve)" if kind == kinds.RENDER else "")
            )
        data = handler.dump(payload)
        hook = None if webhook is None else [webhook.url, list(webhook.events)]
        parent = isinstance(handler, kinds.ParentKind)
        job, replayed = self.store.create_or_replay(
            kind,
            data,
            handler.facts(payload),
            priority=priority,
            idempotency_key=idempotency_key,
            body_fingerprint=body_fingerprint
            or fingerprint({"kind": kind, "payload": data, "priority": priority, "webhook": hook}),
            webhook_url=webhook.url if webhook else None,
            webhook_events=list(webhook.events) if webhook else None,
            max_attempts=self.settings.max_attempts,
            metadata=metadata,
            remixed_from=remixed_from,
            start_as=DRIVER if parent else None,
        )
        if replayed:
            return job, True
        if parent:
            return self.parents.advance(job.id) or job, False
        self.dispatcher.wake()
        return job, False

    def replay(self, idempotency_key: str, body_fingerprint: str) -> Job | None:
        """The job an earlier submit made with this key and body, or None; another body is a conflict."""
        return self.store.find_by_key(idempotency_key, body_fingerprint)

    def save_input(self, data: bytes, suffix: str, sent_as: str | None = None) -> Path:
        """Keep an uploaded input file under a server-made name; jobs refer to it by that path.
        ``sent_as`` is its file name (or URL) as sent, which the video's record names it by."""
        return self.artifacts.save_input(data, suffix, sent_as)

    def input_here(self, recorded: str) -> str:
        """An input path a job's payload kept, where the file lies now (``Artifacts.input_here``)."""
        return self.artifacts.input_here(recorded)

    def discard_input(self, path: Path) -> None:
        """Remove an uploaded input no job took."""
        self.artifacts.discard_input(path)

    # ---- reading --------------------------------------------------------------------------

    def get(self, job_id: str, *, kind: str | tuple[str, ...] | None = None) -> Job:
        """The job ``job_id``; with ``kind`` (one or several), one of another kind is not found ("no video")."""
        return self.reads.get(job_id, kind)

    def get_many(self, job_ids: builtins.list[str]) -> dict[str, Job]:
        """Those of ``job_ids`` that exist, by id, in one query (a parent's items, their errors worded)."""
        return self.reads.many(job_ids)

    def list(
        self,
        *,
        after: str | None = None,
        limit: int = 20,
        order: str = "desc",
        status: str | None = None,
        model: str | None = None,
        kind: str | tuple[str, ...] | None = None,
        parent_id: str | None = None,
    ) -> JobPage:
        """A page of jobs (``parent_id``'s items only, given one), with each queued one's queue position."""
        page = self.store.list(
            after=after, limit=limit, order=order, status=status, model=model, kind=kind, parent_id=parent_id
        )
        queued = [j.id for j in page.items if j.status is JobStatus.QUEUED]
        return JobPage(page.items, page.has_more, self.store.queue_positions(queued))

    def queue_position(self, job: str | Job) -> int | None:
        """How many queued jobs start before this one (0: next); None unless it is queued."""
        return self.store.queue_position(job)

    def events(self, job_id: str, after_seq: int = 0, limit: int | None = None) -> builtins.list[JobEvent]:
        """The job's events after ``after_seq`` (an SSE Last-Event-ID), oldest first."""
        return self.store.events(job_id, after_seq, limit)

    def subscribe(self, listener: Callable[[JobEvent], None]) -> Callable[[], None]:
        """Call ``listener(event)`` after each event this process commits; returns unsubscribe."""
        return self.store.subscribe(listener)

    def children(self, parent_id: str) -> builtins.list[Job]:
        return self.store.children(parent_id)

    def child_states(self, parent_id: str) -> builtins.list[ChildState]:
        """The children's status, progress and error, without their rows (a parent's live stream)."""
        return self.store.child_states(parent_id)

    def child_statuses(self, parent_ids: builtins.list[str]) -> dict[str, dict[str, int]]:
        """How many children each parent has in each status, counted together (a list page's parents)."""
        return self.store.child_statuses(parent_ids)

    def content(self, job_id: str, variant: str = "video") -> Path | None:
        """The file of ``variant`` (video, thumbnail, metadata, spritesheet: made now if new) or None."""
        return self.artifacts.path(self.store.get(job_id), variant)

    def counts(self) -> dict[str, int]:
        """Jobs per status."""
        return self.store.counts()

    def workers(self) -> builtins.list[dict[str, Any]]:
        """Each worker's last known state (no worker is asked; see ``system`` for fresh facts)."""
        return self.engine.describe()

    # ---- acting on jobs ---------------------------------------------------------------------

    def cancel(self, job_id: str) -> Job:
        """Queued: cancelled at once. Running: the worker stops at its next step (killed after
        ``cancel_grace_s``). A parent: its queued and running children too. Finished: unchanged."""
        job = self.store.cancel(job_id)
        if job.terminal:
            return job
        if job.kind in kinds.parent_names():
            return self.parents.cancel(job) or self.store.get(job_id)
        if job.status is JobStatus.IN_PROGRESS:
            self.dispatcher.cancel(job_id)
        return job

    def delete(self, job_id: str) -> Job:
        """Delete a job's record and files (a parent's children too); a running job is stopped first.

        A child of a parent still running is refused: the parent would make it again.
        """
        job = self.store.get(job_id)
        if job.parent_id is not None:
            try:
                running = not self.store.get(job.parent_id).terminal
            except JobNotFound:
                running = False
            if running:
                raise InvalidTransition(
                    f"job {job_id} belongs to {job.parent_id}, which is still running; cancel or delete "
                    "that one instead",
                    param="id",
                )
        if not job.terminal and job.kind in kinds.parent_names():
            self.cancel(job_id)  # its children stop with it, so none is started again once deleted below
        for child in self.store.children(job_id):
            self.delete(child.id)
        uploads = kinds.input_paths(job)
        job = self.store.delete(job_id, force=True)
        # Stopped after its record went, not before: cancelled first, a worker that stopped at once wrote
        # its "cancelled" in the job's events before the delete, and a client following them was told the
        # job was cancelled, not deleted. Its attempt's token is stale now, so it cannot write any more.
        self.dispatcher.cancel(job_id)
        self.artifacts.delete(job_id)
        self.artifacts.discard_uploads(uploads, still_named=self.store.names_input)
        return job

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
        for slot in self.engine.snapshot():
            if slot.alive:
                self.engine.refresh(slot, timeout_s=5.0)
        engine = {**self.engine.describe_engine(), "down": self.health(), "restarts": self.host.restarts}
        return system_report(self.engine.describe(), self.store.counts(), engine)

    def free(self, idle_seconds: float = 0.0) -> dict[str, builtins.list[str]]:
        """Unload models idle for ``idle_seconds`` on every worker; returns what each freed."""
        freed: dict[str, builtins.list[str]] = {}
        for slot in self.engine.snapshot():
            if not slot.alive:
                continue
            try:
                freed[slot.id] = self.engine.free(slot, idle_seconds)
            except Exception as exc:  # a worker that died or timed out frees nothing
                log.warning("%s could not free models: %s", slot.id, exc)
            self.engine.refresh(slot, timeout_s=5.0)
        return freed

    def cleanup(self) -> dict[str, int]:
        """Run retention cleanup now (it also runs every ``cleanup_every_s``)."""
        return reconcile.cleanup(self.store, self.artifacts, self.settings)

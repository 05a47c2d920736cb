"""Drives parent jobs: asks each parent kind what to do next, makes its children, finishes it.

A parent is advanced when it is created, whenever a job with a parent
finishes, on service start and every ``SWEEP_S`` (for children finished by
another process). Every step is safe to repeat: children are unique per
(parent, key), and a finished parent is never advanced again, so killing the
process anywhere in a fan-out loses and duplicates nothing.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from reelgen.core.errors import Cancelled, ReelgenError
from reelgen.jobs import kinds
from reelgen.jobs.kinds import Complete, Fail, ParentKind, Spawn
from reelgen.jobs.loop_trouble import Trouble
from reelgen.jobs.records import Job, JobEvent, JobNotFound, JobStatus, StaleToken
from reelgen.jobs.store import ChildRow, JobStore

log = logging.getLogger(__name__)

#: The owner named on parent jobs (they run on no worker).
DRIVER = "parent-driver"
#: How often every running parent is looked at even without an event.
SWEEP_S = 10.0
#: Bound on ``advance`` rounds in one go (a kind that spawns one child per call needs one per child).
MAX_ROUNDS = 10_000
_FINAL = frozenset({"completed", "failed", "cancelled"})


class ParentDriver:
    """``start()`` resumes running parents and follows the store's events; ``advance`` and ``cancel``
    may also be called directly. ``cancel_job`` cancels a child (the service's cancel, so running
    children are stopped on their worker); ``wake`` tells the dispatcher new children are queued."""

    def __init__(
        self,
        store: JobStore,
        *,
        cancel_job: Callable[[str], Any],
        wake: Callable[[], None],
        max_attempts: int = 2,
    ) -> None:
        self.store = store
        self.cancel_job = cancel_job
        self.wake = wake
        self.max_attempts = max_attempts
        # One lock per parent, not one for all: a big batch's first advance plans every item (minutes for
        # thousands of keyframes), and one lock held that long stalled every other batch's create and
        # every other parent's children. ``_locks_lock`` guards only the dict. Weak: a parent's lock
        # lives while someone holds it (a plain dict kept one per parent that ever ran, for good).
        self._locks: weakref.WeakValueDictionary[str, threading.RLock] = weakref.WeakValueDictionary()
        self._locks_lock = threading.Lock()
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None

    # ---- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        self._unsubscribe = self.store.subscribe(self._on_event)
        self.resume()
        self._thread = threading.Thread(target=self._loop, name="reelgen-parents", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=30)

    def resume(self) -> None:
        """Advance every running parent (service start, and the periodic sweep)."""
        for parent in self.store.running_parents(kinds.parent_names()):
            self.advance(parent.id)

    def _on_event(self, event: JobEvent) -> None:
        if event.type in _FINAL:
            self._queue.put(event.job_id)

    def _loop(self) -> None:
        last_sweep = time.monotonic()
        trouble = Trouble(log, "advancing parents (retried at the next event or sweep)")
        while True:
            try:
                job_id = self._queue.get(timeout=SWEEP_S)
            except queue.Empty:
                job_id = ""
            if job_id is None:
                return
            try:
                if job_id:
                    self._finished(job_id)
                if time.monotonic() - last_sweep >= SWEEP_S:
                    last_sweep = time.monotonic()
                    self.resume()
                trouble.passed()
            except Exception as exc:  # the driver must outlive a database hiccup
                trouble.failed(exc)

    def _finished(self, job_id: str) -> None:
        with contextlib.suppress(JobNotFound):
            parent_id = self.store.get(job_id).parent_id
            if parent_id is not None:
                self.advance(parent_id)

    # ---- the state machine ------------------------------------------------------------------

    def advance(self, parent_id: str) -> Job | None:
        """Run the parent's ``advance`` until it waits or ends; returns the parent as it is then."""
        with self._lock_of(parent_id):
            for _ in range(MAX_ROUNDS):
                try:
                    parent = self.store.get(parent_id)
                except JobNotFound:
                    return None
                if parent.terminal:
                    return parent
                if parent.cancel_requested:
                    return self._cancelled(parent)
                if not self._step(parent):
                    return self.store.get(parent_id)
            raise RuntimeError(f"{parent_id}: its kind kept spawning children for {MAX_ROUNDS} rounds")

    def _lock_of(self, parent_id: str) -> threading.RLock:
        with self._locks_lock:
            return self._locks.setdefault(parent_id, threading.RLock())

    def cancel(self, parent: Job) -> Job | None:
        """End ``parent``, whose cancel was asked for: its kind is told first, outside the lock, so a long
        ``advance`` (a big batch's planning, holding its lock) stops between items instead of finishing."""
        with contextlib.suppress(kinds.UnknownKind):
            kinds.parent(parent.kind).stop(parent.id)
        return self.advance(parent.id)

    def _step(self, parent: Job) -> bool:
        """One ``advance`` of ``parent``; True when it made new children (so ask again)."""
        try:
            kind: ParentKind[Any] = kinds.parent(parent.kind)
            step = kind.advance(parent, kind.parse(parent.payload), self.store.children(parent.id))
        except Cancelled as exc:  # stopped by a cancel: ask again, and the parent ends cancelled, not failed
            with contextlib.suppress(JobNotFound):
                if self.store.get(parent.id).cancel_requested:
                    return True
            step = Fail(exc.message, exc.code)
        except ReelgenError as exc:
            step = Fail(exc.message, exc.code)
        except Exception as exc:  # a bug in a kind fails its parent instead of leaving it running
            log.exception("%s: %s.advance failed", parent.id, parent.kind)
            step = Fail(f"{parent.kind} failed: {type(exc).__name__}: {exc}", "internal_error")
        if isinstance(step, Spawn):
            rows = [self._row(child) for child in step.children]
            made = self.store.create_children(parent, rows, max_attempts=self.max_attempts) if rows else []
            if made:
                self.wake()
            return bool(made)
        with contextlib.suppress(StaleToken, JobNotFound):
            if isinstance(step, Complete):
                self.store.complete(parent.id, parent.token, step.result, self._metrics(parent))
            else:
                self._cancel_children(parent)
                self.store.fail(parent.id, parent.token, step.code, step.message, self._metrics(parent))
        return False

    def _row(self, child: kinds.Child) -> ChildRow:
        kind = kinds.get(child.kind)
        return ChildRow(child.key, child.kind, kind.dump(child.payload), kind.facts(child.payload))

    def _cancelled(self, parent: Job) -> Job:
        self._cancel_children(parent)
        message = self._kept(parent) or "cancelled by request, with its children"
        with contextlib.suppress(StaleToken, JobNotFound):
            return self.store.finish_cancelled(parent.id, parent.token, message, self._metrics(parent))
        return self.store.get(parent.id)

    def _kept(self, parent: Job) -> str | None:
        """The kind's word on what the cancelled ``parent`` kept (a shoot-out's finished clips), if any."""
        try:
            kind: ParentKind[Any] = kinds.parent(parent.kind)
            return kind.cancelled(parent, kind.parse(parent.payload), self.store.children(parent.id))
        except Exception:  # what it kept is a courtesy: a failure here must not leave the parent running
            log.exception("%s: %s.cancelled failed", parent.id, parent.kind)
            return None

    def _cancel_children(self, parent: Job) -> None:
        for child in self.store.children(parent.id):
            if not child.terminal:
                with contextlib.suppress(JobNotFound):
                    self.cancel_job(child.id)

    def _metrics(self, parent: Job) -> dict[str, Any]:
        """The parent's time, the GPU seconds and cost of all its children together, how many it made and
        how many of them ran to an end."""
        children = self.store.children(parent.id)
        started = parent.started_at or parent.created_at
        return {
            "queue_s": 0.0,
            "run_s": round(max(0.0, time.time() - started), 3),
            "gpu_s": round(sum(c.metrics.get("gpu_s") or 0.0 for c in children), 3),
            "cost": round(sum(c.metrics.get("cost") or 0.0 for c in children), 6),
            "children": len(children),
            # How many ran to an end (completed or failed), not cancelled with it: once its items are
            # deleted their statuses are gone, and a cancelled parent's progress is these alone.
            "ended": sum(c.status in (JobStatus.COMPLETED, JobStatus.FAILED) for c in children),
        }

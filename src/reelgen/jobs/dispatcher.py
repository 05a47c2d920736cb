"""Hands queued jobs to idle workers in priority order and follows each run to its end.

One thread picks jobs; each running job has a thread that turns the
worker's event stream into store transitions and acts as its watchdog:
no event for ``heartbeat_timeout_s``, or a run past ``max_runtime_s``, or a
cancel not honoured within ``cancel_grace_s`` gets the worker killed (the
engine restarts it) and the job requeued, failed or cancelled by the same
rules as a crash. The jobs it runs are leased to its service's ``owner``
and renewed every quarter lease, so other API processes on the same
database leave them alone.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

import sqlalchemy as sa

from reelgen.core.errors import ReelgenError, WriteFailed
from reelgen.jobs import kinds, reconcile
from reelgen.jobs._db_file import DatabaseFile
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.engine import Engine, RunEnded, RunStream, WorkerGone
from reelgen.jobs.events import ProgressReport
from reelgen.jobs.loop_trouble import Trouble
from reelgen.jobs.outcome import Outcome
from reelgen.jobs.placement import NeverFits, Placing, choose
from reelgen.jobs.records import Job, JobNotFound, StaleToken
from reelgen.jobs.run import Run
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.worker import pack_inputs, unreadable_input

log = logging.getLogger(__name__)

#: How long the pick loop sleeps when nothing changes (jobs written by another process show up).
IDLE_POLL_S = 1.0


class Dispatcher:
    """Start with ``start()``; ``wake()`` after a submit; ``cancel(job_id)`` reaches a running job."""

    def __init__(
        self,
        store: JobStore,
        artifacts: Artifacts,
        engine: Engine,
        settings: JobSettings,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.engine = engine
        self.settings = settings
        self.owner = owner
        self.outcome = Outcome(store, artifacts, settings)
        self.running: dict[str, Run] = {}
        #: Why nothing is dispatched now (the engine is down), or None.
        self.paused: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._runs: list[threading.Thread] = []
        self._last_renew = 0.0
        self._last_cleanup = float("-inf")  # the first pass as it starts: monotonic time counts from boot
        self.database_file = DatabaseFile(store)
        #: A full or unreachable database is said once, not a traceback every second until it is back;
        #: ``JobService.health`` (so /readyz) says it meanwhile.
        self.trouble = Trouble(log, "dispatcher pass")

    def start(self) -> None:
        self.database_file.start()
        self._thread = threading.Thread(target=self._loop, name="reelgen-dispatcher", daemon=True)
        self._thread.start()
        if self.owner is not None:
            # Its own thread: a long cleanup or a slow pass of the loop must never let a lease lapse.
            threading.Thread(target=self._keep_leases, name="reelgen-leases", daemon=True).start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Stop picking jobs; running ones go back to the queue without losing an attempt (or are
        cancelled, when that was asked)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.database_file.close()
        for run in list(self.running.values()):
            run.stale = True
            with contextlib.suppress(StaleToken, JobNotFound):
                self.store.release(run.job.id, run.job.token)

    def join_runs(self, timeout_s: float = 30.0) -> None:
        """Wait for run threads to notice their workers are gone (after the engine stopped)."""
        deadline = time.monotonic() + timeout_s
        for thread in self._runs:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def cancel(self, job_id: str) -> bool:
        """Tell the worker running ``job_id`` to stop at its next step; False if not running here."""
        run = self.running.get(job_id)
        if run is None:
            return False
        self._send_cancel(run)
        return True

    def engine_lost(self, reason: str) -> None:
        """The engine died: every job running on it goes back to the queue (an attempt counted)."""
        for run in list(self.running.values()):
            self.outcome.lost(run, f"the engine stopped while the job was running ({reason})")
            run.stale = True

    # ---- picking ------------------------------------------------------------------------

    def _loop(self) -> None:
        trouble = self.trouble
        while not self._stop.is_set():
            try:
                self._housekeeping()
                while not self._stop.is_set() and self._dispatch_one():
                    pass
                trouble.passed()
            except Exception as exc:  # the loop must outlive a database hiccup
                trouble.failed(exc)
            self._wake.wait(IDLE_POLL_S)
            self._wake.clear()

    def _keep_leases(self) -> None:
        """Renew the leases of this service's running jobs every quarter lease; between renewals,
        look each second for cancels sent through another API process."""
        assert self.owner is not None
        trouble = Trouble(log, "renewing leases")
        while not self._stop.wait(IDLE_POLL_S):
            if not self.running:
                continue
            try:
                if time.monotonic() - self._last_renew >= self.settings.lease_s / 4:
                    self._last_renew = time.monotonic()
                    # Only the jobs followed here: one whose end failed to be written must lapse.
                    wanted = self.store.renew_leases(self.owner, self.settings.lease_s, list(self.running))
                    trouble.passed()
                else:
                    # A read: it works on a full disk, where "works again" came between every two
                    # failed renewals. Only a renewal says the leases are kept again.
                    wanted = self.store.cancels_wanted(self.owner)
            except Exception as exc:  # a database hiccup: the next round tries again, well within the lease
                trouble.failed(exc)
                continue
            for job_id in wanted:
                run = self.running.get(job_id)
                if run is not None and run.cancel_sent is None:
                    self._send_cancel(run)

    def _housekeeping(self) -> None:
        self.database_file.check()
        now = time.monotonic()
        if now - self._last_cleanup >= self.settings.cleanup_every_s:
            self._last_cleanup = now
            reconcile.cleanup(self.store, self.outcome.artifacts, self.settings)
        if reconcile.recover(self.store, skip=set(self.running)):
            # Jobs of a server that is gone (in another container: once their leases ran out)
            # leave its workers' folders behind; they go now rather than at the next cleanup.
            reconcile.sweep_scratch(self.store, self.settings)

    def _dispatch_one(self) -> bool:
        """Start the next queued job if a worker can take it; True if one started (or failed)."""
        job = self.store.next_queued()
        if job is None:
            return False
        try:
            kind = kinds.worker(job.kind)
            placing = Placing(job, kind, kind.parse(job.payload))
            idle = [] if self.paused else self.engine.idle()
            slot = choose(placing, idle, self.engine.snapshot())
        except ReelgenError as exc:  # an unknown kind, a payload that no longer parses, NeverFits
            self._refuse(job, exc)
            return True
        if slot is None:
            return False  # strict priority order: the next job waits for a worker that fits it
        claimed = self.store.claim_next(
            slot.id, job_id=job.id, lease_s=self.settings.lease_s, owner=self.owner
        )
        if claimed is None:
            return True  # cancelled or taken meanwhile; look again
        slot.busy_job = claimed.id
        run = Run(claimed, slot, kind, placing.payload)
        self.running[claimed.id] = run
        thread = threading.Thread(target=self._run, args=(run,), name=f"run-{claimed.id}", daemon=True)
        self._runs = [t for t in self._runs if t.is_alive()] + [thread]
        thread.start()
        return True

    def _refuse(self, job: Job, exc: ReelgenError) -> None:
        """Fail a queued job no worker can ever run, so it does not block the queue."""
        if not isinstance(exc, NeverFits):
            log.warning("%s cannot run: %s", job.id, exc.message)
        # Leased to this service as a run is: a failure to record the refusal must leave an orphan that
        # recovery finds and requeues, not a job in progress that no one holds.
        claimed = self.store.claim_next(
            "dispatcher", job_id=job.id, lease_s=self.settings.lease_s, owner=self.owner
        )
        if claimed is not None:
            self.store.fail(claimed.id, claimed.token, exc.code, exc.message)

    # ---- following a run ------------------------------------------------------------------

    def _run(self, run: Run) -> None:
        job = run.job
        try:
            try:
                here = self.outcome.artifacts.input_here
                inputs = pack_inputs(run.kind, run.payload, here)
            except OSError as exc:
                said = unreadable_input(run.kind, run.payload, exc, here)
                self.store.fail(job.id, job.token, "input_missing", said)
                return
            stream = self.engine.run(
                run.slot, job.id, job.kind, job.payload, inputs, self.settings.preview_every
            )
            self._follow(run, stream)
        except (StaleToken, JobNotFound):
            pass  # deleted or superseded; the worker was told to stop
        except WorkerGone as exc:
            run.slot.alive, run.slot.pending = False, None
            self.outcome.lost(run, str(exc))
        except WriteFailed as exc:  # its lease lapses (no longer renewed) and it is requeued then
            log.error("%s: its end could not be recorded: %s; it runs again later", job.id, exc.message)
        except Exception:
            if not run.stale:  # a run whose engine died is requeued already; its errors say nothing
                log.exception("following %s failed", job.id)
        finally:
            self.running.pop(job.id, None)
            if run.slot.busy_job == job.id:  # not when the slot already runs the next job
                run.slot.busy_job = None
            self.wake()
            if run.slot.alive:
                # Read what the worker holds now (the model this run loaded, its free memory): placement
                # prefers a worker holding a job's model and GET /health says "warm" from it, yet it
                # was read only when the worker came up. Workers answer info while they run a job.
                self.engine.refresh(run.slot, timeout_s=10.0)

    def _follow(self, run: Run, stream: RunStream) -> None:
        while True:
            overdue = self._overdue(run)
            if overdue is not None:
                self.engine.kill(run.slot)
                self.outcome.overdue(run, overdue)
                return
            try:
                event = stream.next(1.0)
            except RunEnded as exc:
                self.outcome.lost(run, str(exc))
                return
            if event is None:
                continue
            run.last_event = time.monotonic()
            if isinstance(event, ProgressReport):
                self._progress(run, event)
            else:
                # The worker is done with this job once its last event is here: free its slot before
                # the output is saved and decoded to check it (about a second for a 121-frame clip),
                # so the next job runs meanwhile. A cancel still addressed to this job finds nothing
                # to stop on the worker.
                run.slot.busy_job = None
                self.wake()
                self.outcome.finish(run, event)
                return

    def _progress(self, run: Run, event: ProgressReport) -> None:
        if run.stale:
            return
        if event.total:
            run.percent = max(run.percent, 100 * event.step // event.total)
        try:
            wants_cancel = self.store.progress(
                run.job.id,
                run.job.token,
                stage=event.stage,
                step=event.step,
                total=event.total,
                eta_s=event.eta_s,
                progress=run.percent,
                preview_png_b64=event.preview,
                message=event.message or None,
                # The lease, not the stall limit: it set 600 s, so a job of a server that died on
                # another machine waited 10 minutes, not REELGEN_LEASE_S, to run again elsewhere.
                lease_s=self.settings.lease_s,
            )
        except (StaleToken, JobNotFound):
            run.stale = True  # keep reading so the worker is free before it gets new work
            wants_cancel = True
        except (WriteFailed, sa.exc.OperationalError) as exc:
            # A step the database could not take (a full disk, a lost connection) does not end the
            # run: the worker goes on. Giving up here freed its slot while it still rendered, so the
            # next job was sent to a busy worker, and this one was left in_progress with no follower.
            if not run.unrecorded:
                said = exc.message if isinstance(exc, WriteFailed) else str(exc.orig)
                log.error("%s: progress not recorded (%s); the run goes on", run.job.id, said)
            run.unrecorded = True
            return
        if wants_cancel and (run.cancel_sent is None or time.monotonic() - run.cancel_sent > 1.0):
            self._send_cancel(run)

    def _send_cancel(self, run: Run) -> None:
        if run.cancel_sent is None:
            run.cancel_sent = time.monotonic()
        self.engine.cancel(run.slot, run.job.id)

    def _overdue(self, run: Run) -> str | None:
        """Why the watchdog must stop this run now, or None."""
        now = time.monotonic()
        s = self.settings
        if run.cancel_sent is not None and now - run.cancel_sent > s.cancel_grace_s:
            return "cancel"
        if now - run.started > s.max_runtime_s:
            return "runtime"
        if now - run.last_event > s.heartbeat_timeout_s:
            return "stalled"
        return None

"""The engine thread: starts the engine, watches it every second, restarts it when it dies, stops it.

It lives as long as the job service. That matters: a private Ray's
``gcs_server`` and ``raylet`` die with the thread that started them
(``PR_SET_PDEATHSIG``), and a web server's worker threads are pruned after a
few idle seconds, so the engine must never be started from one of those. Every
process the engine starts (Ray, or the local worker processes) is started here.

While the engine is down ``down`` says why; the service answers 503 with that
reason, and the dispatcher's running jobs go back to the queue through
``on_lost`` before the engine is started again.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable

from reelgen.jobs.engine import Engine

log = logging.getLogger(__name__)

#: How often the engine is looked at (its health is a cheap, live check).
CHECK_S = 1.0
#: Pause between attempts to start a dead engine again, doubling up to ``MAX_RETRY_S``.
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 30.0


class EngineHost:
    """``start()`` returns once the engine is up (or raises why it could not start)."""

    def __init__(self, engine: Engine, on_lost: Callable[[str], None], check_s: float = CHECK_S) -> None:
        self.engine = engine
        self.on_lost = on_lost
        self.check_s = check_s
        #: Why the engine cannot run jobs now; None while it can.
        self.down: str | None = "starting"
        #: Set while a dead engine is being started again: why it died.
        self.restarting: str | None = None
        self.restarts = 0
        self._stop = threading.Event()
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._maintain_failed = False

    def start(self, timeout_s: float = 600.0) -> None:
        self._thread = threading.Thread(target=self._main, name="reelgen-engine", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout_s):
            raise TimeoutError(f"the {self.engine.name} engine did not start within {timeout_s:g} s")
        if self._error is not None:
            raise self._error

    def stop(self, timeout_s: float = 60.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _main(self) -> None:
        try:
            self.engine.start()
        except BaseException as exc:
            self._error = exc
            self._started.set()
            self._safe_stop()
            return
        self._started.set()
        said: str | None = None  # a check failing the same way is said once, not every second
        try:
            with contextlib.suppress(Exception):  # the first check below says it, and goes on
                self.down = self._reason()
            while not self._stop.wait(self.check_s):
                try:
                    self._check()
                    said = None
                except Exception as exc:
                    # It ended this thread: the engine was stopped and never started again, while
                    # the server took jobs that then waited for ever ("the engine thread stopped").
                    if str(exc) != said:
                        log.error("watching the %s engine failed (%s); trying again", self.engine.name, exc)
                    said = str(exc)
        finally:
            self._safe_stop()

    def _check(self) -> None:
        try:
            self.engine.maintain()
            self._maintain_failed = False
        except Exception as exc:  # the health check below says what it means for jobs
            # Said once a run of failures (it was at debug level only): a worker that cannot be
            # started (no memory, no file handles) left /readyz saying "restarting" and nothing why.
            if not self._maintain_failed:
                log.warning("looking after the %s engine's workers failed: %s", self.engine.name, exc)
            self._maintain_failed = True
        down = self.engine.health()
        self.down = None if down is None else down.reason
        if down is None or not down.fatal:
            return
        reason = down.reason
        log.error(
            "the %s engine stopped (%s); requeueing its jobs and starting it again", self.engine.name, reason
        )
        self.restarting = reason
        try:
            try:
                self.on_lost(reason)
            except Exception as exc:  # the database too (one outage can take both): restart all the same
                log.error(
                    "putting the %s engine's jobs back in the queue failed (%s); each goes back when its "
                    "lease runs out",
                    self.engine.name,
                    exc,
                )
            self._safe_stop()
            self._restart()
        finally:
            self.restarting = None

    def _reason(self) -> str | None:
        down = self.engine.health()
        return None if down is None else down.reason

    def _restart(self) -> None:
        pause = FIRST_RETRY_S
        # Each failure was logged, every 30 s for as long as a Ray head stayed down: the log filled
        # with one line. It is said once, then only when the reason changes, and when it is back.
        said: str | None = None
        failures = 0
        while not self._stop.is_set():
            try:
                self.engine.start()
            except Exception as exc:
                failures += 1
                if said is None:
                    log.error(
                        "starting the %s engine again failed (%s); trying again, at most %g s apart "
                        "(said again only when the reason changes)",
                        self.engine.name,
                        exc,
                        MAX_RETRY_S,
                    )
                elif str(exc) != said:
                    log.error("starting the %s engine again still fails, now: %s", self.engine.name, exc)
                said = str(exc)
                self._safe_stop()
                if self._stop.wait(pause):
                    return
                pause = min(MAX_RETRY_S, pause * 2)
                continue
            self.restarts += 1
            self.down = self._reason()
            tries = (
                f", after {failures} failed tries"
                if failures > 1
                else ", after 1 failed try"
                if failures
                else ""
            )
            log.warning(
                "the %s engine is running again (restart %d%s)", self.engine.name, self.restarts, tries
            )
            return

    def _safe_stop(self) -> None:
        started = time.monotonic()
        try:
            self.engine.stop()
        except Exception as exc:
            log.warning("stopping the %s engine failed: %s", self.engine.name, exc)
        log.debug("engine stop took %.1f s", time.monotonic() - started)

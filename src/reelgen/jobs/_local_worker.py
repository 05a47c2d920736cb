"""One local worker process and the socket to it: calls, a run's event stream, and its death noticed at once.

``start`` spawns ``python -m reelgen.jobs._local_child`` with one end of a Unix
socket pair (forked from a process that has torch imported already, see
``reelgen.core.prefork``); a thread reads the other end. When the socket closes the worker is
gone: calls in flight fail and a run's stream raises ``WorkerGone``, with the
exit code or signal that ended it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from typing import Any

from reelgen.core import prefork
from reelgen.jobs.engine import RunEnded, RunStream, WorkerGone
from reelgen.jobs.events import WorkerEvent


class _Gone:
    def __init__(self, why: str) -> None:
        self.why = why


_END = object()


class LocalStream(RunStream):
    def __init__(self) -> None:
        self.queue: queue.Queue[Any] = queue.Queue()

    def next(self, timeout_s: float) -> WorkerEvent | None:
        try:
            item = self.queue.get(timeout=timeout_s)
        except queue.Empty:
            return None
        if isinstance(item, _Gone):
            raise WorkerGone(item.why)
        if item is _END:
            raise RunEnded("the worker ended the run without a result")
        event: WorkerEvent = item
        return event


class LocalWorker:
    """One worker process and the thread that reads its pipe; ``start`` again after it died."""

    def __init__(
        self,
        worker_id: str,
        gpu: str | None,
        *,
        models: int,
        setup: Callable[[], None] | None,
        scratch: str,
    ) -> None:
        self.id = worker_id
        self.gpu = gpu
        self.init = ("init", worker_id, models, setup, scratch)
        self.process: Any = None
        self.conn: Any = None
        self.pid: int | None = None
        self.started_at = 0.0
        self.failures = 0
        self.gone: str | None = "not started"
        self.startup_error: str | None = None
        self._send_lock = threading.Lock()
        self._lock = threading.Lock()
        self._calls: dict[int, Future[Any]] = {}
        self._ids = itertools.count(1)
        self._run: tuple[str, LocalStream] | None = None
        self.ready: Future[int] = Future()

    def start(self) -> None:
        ours, theirs = socket.socketpair()
        # Unbuffered: a library's print in a worker was held in its buffer while `reelgen serve` was piped
        # (`| tee log`), and lost when the worker ended with os._exit (the API process gone, or a stop).
        env = {**os.environ, "CUDA_VISIBLE_DEVICES": self.gpu or "", "PYTHONUNBUFFERED": "1"}
        try:
            process = prefork.spawn(
                "reelgen.jobs._local_child",
                env=env,
                fds=[theirs.fileno()],
                stdin_devnull=True,
                title="reelgen-worker",  # 15 bytes at most: its id is in the log's "started worker-0 (pid N)"
            )
        finally:
            theirs.close()  # only the worker holds its end, so our death closes its socket
        parent = Connection(ours.detach())
        try:
            parent.send(sys.path)
            parent.send(self.init)
        except OSError:
            pass  # it died at once; the pipe reader below says how
        with self._lock:
            self.process, self.conn, self.pid = process, parent, process.pid
            self.started_at, self.gone, self.ready = time.monotonic(), None, Future()
        threading.Thread(
            target=self._receive, args=(parent, process), name=f"{self.id}-pipe", daemon=True
        ).start()

    def running(self) -> bool:
        """A live look: the socket is open and the process exists."""
        return self.gone is None and self.process is not None and self.process.poll() is None

    # ---- calls --------------------------------------------------------------------------------

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            with self._send_lock:
                self.conn.send(message)
        except (OSError, ValueError, AttributeError) as exc:
            raise WorkerGone(f"{self.id} is not running ({type(exc).__name__})") from None

    def call(self, name: str, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        call_id = next(self._ids)
        with self._lock:
            if self.gone is not None:
                future.set_exception(WorkerGone(f"{self.id} is not running: {self.gone}"))
                return future
            self._calls[call_id] = future
        try:
            self._send(("call", call_id, name, args))
        except WorkerGone as exc:
            with self._lock:
                self._calls.pop(call_id, None)
            future.set_exception(exc)
        return future

    def run(self, job_id: str, *args: Any) -> LocalStream:
        stream = LocalStream()
        with self._lock:
            if self.gone is not None:
                raise WorkerGone(f"{self.id} is not running: {self.gone}")
            self._run = (job_id, stream)
        self._send(("run", job_id, *args))
        return stream

    def cancel(self, job_id: str) -> None:
        with contextlib.suppress(WorkerGone):
            self._send(("cancel", job_id))

    def kill(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.kill()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Ask the worker to exit; kill it if it does not within ``timeout_s``."""
        if self.process is None:
            return
        with contextlib.suppress(WorkerGone):
            self._send(("stop",))
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait(timeout_s)
        with contextlib.suppress(OSError):
            self.conn.close()

    # ---- the pipe -----------------------------------------------------------------------------

    def _receive(self, conn: Any, process: Any) -> None:
        try:
            while True:
                self._handle(conn.recv())
        except (EOFError, OSError):
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5.0)
        self._lost(conn, self.startup_error or exit_words(process.returncode))

    def _handle(self, message: tuple[Any, ...]) -> None:
        op = message[0]
        if op == "event" or op == "end":
            with self._lock:
                current = self._run
            if current is not None and current[0] == message[1]:
                current[1].queue.put(message[2] if op == "event" else _END)
                if op == "end":
                    with self._lock:
                        self._run = None
        elif op == "reply":
            with self._lock:
                future = self._calls.pop(message[1], None)
            if future is not None:
                if message[2]:
                    future.set_result(message[3])
                else:
                    future.set_exception(RuntimeError(message[3]))
        elif op == "ready":
            self.ready.set_result(int(message[1]))
        elif op == "failed":
            self.startup_error = f"could not start: {message[1]}"

    def _lost(self, conn: Any, why: str) -> None:
        with self._lock:
            if conn is not self.conn:
                return  # a pipe of an earlier process
            self.gone = why
            calls, self._calls = self._calls, {}
            current, self._run = self._run, None
        gone = WorkerGone(f"{self.id} {why}")
        for future in calls.values():
            future.set_exception(gone)
        if current is not None:
            current[1].queue.put(_Gone(f"{self.id} {why}"))
        if not self.ready.done():
            self.ready.set_exception(gone)


def exit_words(code: int | None) -> str:
    """How a worker process ended, as a job's error ends it: "exited with signal 9" left a person to look
    up what signal 9 is and who might have sent it."""
    if code is None:  # forked, and the template that knew its status ended first
        return "exited (its exit code is not known)"
    if code >= 0:
        return f"exited with code {code}"
    # Real-time signals (34-64) are valid but no Signals member.
    name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else None
    if -code == signal.SIGKILL:
        return f"exited with signal {-code} (SIGKILL: kill -9, or the system's out-of-memory killer)"
    return f"exited with signal {-code}" + (f" ({name})" if name else "")

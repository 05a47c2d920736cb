"""The local engine: one worker process per GPU (or ``cpu_workers`` without one), over a socket pair.

No ports, no agents, no temp folders outside the data directory: each worker is
a fresh Python process (``python -m reelgen.jobs._local_child``, so the API
process's main module is never imported again) that talks to the API process
over one Unix socket pair. A worker that dies is started again by ``maintain``
(with a backoff if it keeps dying); one outliving the API process never
happens, because it exits as soon as its socket closes. POSIX only: on other
systems ``engine=auto`` picks Ray.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reelgen.jobs import owners
from reelgen.jobs.engine import Down, Engine, RunEnded, RunStream, WorkerGone, WorkerSlot
from reelgen.jobs.events import WorkerEvent
from reelgen.jobs.settings import JobSettings

log = logging.getLogger(__name__)

#: A worker that dies sooner than this after starting is restarted after a growing pause.
STEADY_S = 30.0
MAX_BACKOFF_S = 30.0


def visible_gpus(settings: JobSettings) -> list[str]:
    """The GPUs to run workers on, as ``CUDA_VISIBLE_DEVICES`` names them, counted without torch.

    ``settings.gpus`` caps the count; ``CUDA_VISIBLE_DEVICES`` (when set) says which;
    otherwise the NVIDIA driver's list of devices, then ``nvidia-smi -L``.
    """
    listed = os.environ.get("CUDA_VISIBLE_DEVICES")
    if listed is not None:
        ids = [e.strip() for e in listed.split(",") if e.strip()]
        ids = ids[: next((i for i, e in enumerate(ids) if e.startswith("-")), len(ids))]  # "-1" ends the list
    else:
        ids = [str(i) for i in range(_driver_gpus())]
    return ids if settings.gpus is None else ids[: max(0, settings.gpus)]


def _driver_gpus() -> int:
    driver = Path("/proc/driver/nvidia/gpus")
    if driver.is_dir():
        return sum(1 for _ in driver.iterdir())
    if shutil.which("nvidia-smi"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=10)
            return sum(1 for line in out.stdout.splitlines() if line.startswith("GPU "))
    return 0


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
        env = {**os.environ, "CUDA_VISIBLE_DEVICES": self.gpu or ""}
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "reelgen.jobs._local_child", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                env=env,
                stdin=subprocess.DEVNULL,
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
        code = process.returncode
        why = f"exited with signal {-code}" if code and code < 0 else f"exited with code {code}"
        self._lost(conn, self.startup_error or why)

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


class LocalEngine(Engine):
    """Worker processes on this machine; see the module docstring."""

    name = "local"

    def __init__(self, settings: JobSettings, setup: Callable[[], None] | None = None) -> None:
        super().__init__(settings, setup)
        self.scratch = Path(settings.data_dir) / "scratch" / f"{owners.machine()}-{os.getpid()}"
        self._restart_at: dict[str, float] = {}
        self._said: dict[str, str] = {}

    def start(self) -> None:
        sweep_scratch(Path(self.settings.data_dir) / "scratch")
        gpus = visible_gpus(self.settings)
        wanted: list[str | None] = [*gpus] or [None] * max(1, self.settings.cpu_workers)
        slots = []
        for index, gpu in enumerate(wanted):
            handle = LocalWorker(
                f"worker-{index}",
                gpu,
                models=self.settings.models_per_worker,
                setup=self.setup,
                scratch=str(self.scratch),
            )
            handle.start()
            slots.append(WorkerSlot(handle.id, handle, 0 if gpu is None else 1))
            log.info("started %s (%s, pid %s)", handle.id, "CPU" if gpu is None else f"GPU {gpu}", handle.pid)
        with self.lock:
            self.slots = slots

    def stop(self) -> None:
        with self.lock:
            slots, self.slots = self.slots, []
        for slot in slots:
            slot.alive = False
            slot.actor.stop()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def maintain(self) -> None:
        for slot in self.snapshot():
            handle: LocalWorker = slot.actor
            if handle.gone is not None:
                self._restart(slot, handle)
            elif not slot.alive:
                self._notice(slot, handle)

    def _restart(self, slot: WorkerSlot, handle: LocalWorker) -> None:
        slot.alive, slot.pending = False, None
        now = time.monotonic()
        due = self._restart_at.get(slot.id)
        if due is None:
            quick = now - handle.started_at < STEADY_S
            handle.failures = handle.failures + 1 if quick else 0
            pause = min(MAX_BACKOFF_S, 2.0 ** (handle.failures - 1)) if handle.failures else 0.0
            self._restart_at[slot.id] = due = now + pause
            self._say(slot.id, f"{slot.id} {handle.gone}; starting it again in {pause:g} s", logging.WARNING)
        if now >= due:
            del self._restart_at[slot.id]
            handle.startup_error = None
            handle.start()

    def _notice(self, slot: WorkerSlot, handle: LocalWorker) -> None:
        if slot.pending is None:
            if not handle.ready.done():
                return
            slot.pending = handle.call("info")
        if slot.pending.done():
            future, slot.pending = slot.pending, None
            try:
                slot.info, slot.alive = future.result(), True
                self._say(slot.id, f"{slot.id} is up (pid {handle.pid})", logging.INFO)
            except Exception as exc:  # died again; the next round restarts it
                log.debug("%s did not answer: %s", slot.id, exc)

    def _say(self, worker_id: str, message: str, level: int) -> None:
        """Log a worker's state once when it changes, never once a second."""
        if self._said.get(worker_id) != message:
            self._said[worker_id] = message
            log.log(level, "%s", message)

    def health(self) -> Down | None:
        slots = self.snapshot()
        if not slots:
            return Down("no workers have been started", fatal=True)
        if any(s.alive and s.actor.running() for s in slots):
            return None
        states = []
        for slot in slots:
            handle: LocalWorker = slot.actor
            states.append(f"{slot.id} {handle.gone}, restarting" if handle.gone else f"{slot.id} is starting")
        return Down("no worker is up: " + "; ".join(states))

    def describe_engine(self) -> dict[str, Any]:
        return {"name": self.name, "pids": [s.actor.pid for s in self.snapshot()]}

    # ---- calls ----------------------------------------------------------------------------------

    def run(
        self,
        slot: WorkerSlot,
        job_id: str,
        kind: str,
        payload: dict[str, Any],
        inputs: dict[str, bytes],
        preview_every: int,
    ) -> RunStream:
        stream: RunStream = slot.actor.run(job_id, kind, payload, inputs, preview_every)
        return stream

    def cancel(self, slot: WorkerSlot, job_id: str) -> None:
        slot.actor.cancel(job_id)

    def refresh(self, slot: WorkerSlot, timeout_s: float = 120.0) -> bool:
        try:
            slot.info = slot.actor.call("info").result(timeout_s)
            slot.alive = True
        except (WorkerGone, RuntimeError, FutureTimeout) as exc:
            log.warning("%s did not answer: %s", slot.id, exc)
            slot.alive = False
        return slot.alive

    def free(self, slot: WorkerSlot, idle_seconds: float, timeout_s: float = 60.0) -> list[str]:
        freed: list[str] = slot.actor.call("free", idle_seconds).result(timeout_s)
        return freed

    def kill(self, slot: WorkerSlot) -> None:
        slot.alive, slot.pending = False, None
        slot.actor.kill()


def sweep_scratch(root: Path) -> None:
    """Remove the scratch folders of API processes of this machine that are no longer running."""
    if not root.is_dir():
        return
    prefix = f"{owners.machine()}-"
    for folder in root.iterdir():
        pid = folder.name.removeprefix(prefix)
        if folder.name.startswith(prefix) and pid.isdigit() and not owners.pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)

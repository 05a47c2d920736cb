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
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from reelgen.core.devices import no_gpu_driver
from reelgen.jobs import owners
from reelgen.jobs._local_worker import LocalWorker
from reelgen.jobs.engine import Down, Engine, RunStream, WorkerGone, WorkerSlot
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
        if ids and no_gpu_driver():
            # A CUDA_VISIBLE_DEVICES left in the environment of a machine without a GPU driver (a
            # profile, a container image) made each listed id a "GPU worker" that ran on the CPU:
            # REELGEN_CPU_WORKERS was ignored and /v1/system and the jobs' gpu_seconds and cost
            # counted CPU time as GPU time.
            log.warning(
                "CUDA_VISIBLE_DEVICES=%s names GPUs, but this machine has no GPU driver; running CPU "
                "workers (REELGEN_CPU_WORKERS)",
                listed,
            )
            ids = []
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


class LocalEngine(Engine):
    """Worker processes on this machine; see the module docstring."""

    name = "local"

    def __init__(self, settings: JobSettings, setup: Callable[[], None] | None = None) -> None:
        super().__init__(settings, setup)
        self.scratch = Path(settings.data_dir) / "scratch" / owners.scratch_name()
        self._restart_at: dict[str, float] = {}
        self._said: dict[str, str] = {}

    def start(self) -> None:
        owners.sweep_scratch(Path(self.settings.data_dir) / "scratch")
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
            slot.alive = False
            self._say(slot.id, f"{slot.id} did not answer: {exc}", logging.WARNING)
        return slot.alive

    def free(self, slot: WorkerSlot, idle_seconds: float, timeout_s: float = 60.0) -> list[str]:
        freed: list[str] = slot.actor.call("free", idle_seconds).result(timeout_s)
        return freed

    def kill(self, slot: WorkerSlot) -> None:
        slot.alive, slot.pending = False, None
        slot.actor.kill()

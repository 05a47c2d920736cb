"""What the dispatcher runs jobs on: an engine of worker slots (local processes or Ray actors).

Two engines fill this contract: ``reelgen.jobs.local.LocalEngine`` (the default on
one machine: one spawned worker process per GPU, no ports, no agents) and
``reelgen.jobs.cluster.RayEngine`` (``RAY_ADDRESS`` clusters, or a private Ray by
choice). ``reelgen.jobs.supervisor.EngineHost`` starts, watches and restarts
either one from a thread that lives as long as the service, because both
engines start processes whose lifetime is tied to the thread that started them.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reelgen.jobs.events import WorkerEvent
from reelgen.jobs.settings import JobSettings


class WorkerGone(Exception):
    """The worker (or the whole engine) went away while a call or a run was in flight."""


class RunEnded(Exception):
    """The worker's stream ended without a final event (it should never happen; treated as lost)."""


@dataclass(frozen=True)
class Down:
    """Why the engine cannot run jobs now; ``fatal``: the engine itself died and must be restarted
    (otherwise its workers are starting or restarting by themselves)."""

    reason: str
    fatal: bool = False


@dataclass
class WorkerSlot:
    """One worker as the dispatcher sees it; ``actor`` is the engine's handle to it."""

    id: str
    actor: Any
    gpus: int
    info: dict[str, Any] = field(default_factory=dict)
    busy_job: str | None = None
    alive: bool = False
    pending: Any = None  # an info() call in flight, polled without blocking
    asked_at: float = 0.0  # when ``pending`` was sent

    @property
    def total_vram_gib(self) -> float | None:
        return self.info.get("total_vram_gib")

    @property
    def models(self) -> list[str]:
        return list(self.info.get("loaded_models") or [])


class RunStream(ABC):
    """The events of one run, read by the dispatcher's run thread."""

    @abstractmethod
    def next(self, timeout_s: float) -> WorkerEvent | None:
        """The next event, or None if none came within ``timeout_s``.

        Raises ``WorkerGone`` when the worker died, ``RunEnded`` when the stream
        closed without a final event.
        """


class Engine(ABC):
    """Worker slots and the calls the job service makes on them.

    ``start``, ``stop`` and ``maintain`` run on the engine thread only (they may
    start processes); the rest is thread-safe and never blocks for long.
    """

    #: ``local`` or ``ray``, shown by ``/v1/system``.
    name: str = ""

    def __init__(self, settings: JobSettings, setup: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.setup = setup
        self.slots: list[WorkerSlot] = []
        self.lock = threading.Lock()

    # ---- life cycle (engine thread) ----------------------------------------------------------

    @abstractmethod
    def start(self) -> None:
        """Bring the engine up and create its workers (they report alive once they answer)."""

    @abstractmethod
    def stop(self) -> None:
        """Stop every worker and the engine itself; nothing it started is left running."""

    @abstractmethod
    def maintain(self) -> None:
        """Notice workers that came (back) up; restart dead ones; add workers for new GPUs."""

    @abstractmethod
    def health(self) -> Down | None:
        """None while the engine can run jobs, else why not: a live check, cheap, never cached."""

    def describe_engine(self) -> dict[str, Any]:
        """What ``/v1/system`` shows about the engine itself."""
        return {"name": self.name}

    # ---- calls on workers -------------------------------------------------------------------

    @abstractmethod
    def run(
        self,
        slot: WorkerSlot,
        job_id: str,
        kind: str,
        payload: dict[str, Any],
        inputs: dict[str, bytes],
        preview_every: int,
    ) -> RunStream:
        """Start job ``job_id`` on ``slot``; its events come through the returned stream."""

    @abstractmethod
    def cancel(self, slot: WorkerSlot, job_id: str) -> None:
        """Ask the worker to stop ``job_id`` at its next check (fire and forget)."""

    @abstractmethod
    def refresh(self, slot: WorkerSlot, timeout_s: float = 120.0) -> bool:
        """Ask a worker for its state; one that does not answer is marked not alive."""

    @abstractmethod
    def free(self, slot: WorkerSlot, idle_seconds: float, timeout_s: float = 60.0) -> list[str]:
        """Unload the worker's models idle that long; returns what it unloaded."""

    @abstractmethod
    def kill(self, slot: WorkerSlot) -> None:
        """Hard-stop a worker process; the engine starts it again (its loaded models are lost)."""

    # ---- shared -----------------------------------------------------------------------------

    def idle(self) -> list[WorkerSlot]:
        with self.lock:
            return [s for s in self.slots if s.alive and s.busy_job is None]

    def snapshot(self) -> list[WorkerSlot]:
        with self.lock:
            return list(self.slots)

    def describe(self) -> list[dict[str, Any]]:
        """Each worker's last known state, for ``/v1/system``."""
        with self.lock:
            return [
                {**s.info, "id": s.id, "alive": s.alive, "busy_job": s.busy_job, "gpus": s.gpus}
                for s in self.slots
            ]


def make_engine(settings: JobSettings, setup: Callable[[], None] | None = None) -> Engine:
    """The engine ``settings.engine`` names (``auto``: Ray with ``RAY_ADDRESS``, else local)."""
    if settings.engine_kind() == "ray":
        from reelgen.jobs.cluster import RayEngine

        return RayEngine(settings, setup)
    from reelgen.jobs.local import LocalEngine

    return LocalEngine(settings, setup)

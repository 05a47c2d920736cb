"""A job running on a worker, as the dispatcher's watchdog and the outcome writer both see it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from reelgen.jobs.cluster import WorkerSlot
from reelgen.jobs.kinds import WorkerKind
from reelgen.jobs.records import Job


@dataclass
class Run:
    """One attempt of ``job`` (its kind and typed payload) on ``slot``: timings and cancel state."""

    job: Job
    slot: WorkerSlot
    kind: WorkerKind[Any]
    payload: Any
    started: float = field(default_factory=time.monotonic)
    last_event: float = field(default_factory=time.monotonic)
    cancel_sent: float | None = None
    stale: bool = False
    percent: int = 0
    #: A progress write the database refused was logged (once a run, not at every step).
    unrecorded: bool = False

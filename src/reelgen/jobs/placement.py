"""Which worker should run a job: one that can fit it, preferring one that already holds its model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reelgen.core.errors import ReelgenError
from reelgen.core.spec.memory import HEADROOM
from reelgen.jobs.cluster import WorkerSlot
from reelgen.jobs.kinds import WorkerKind
from reelgen.jobs.records import Job


class NeverFits(ReelgenError):
    """No worker in the cluster has enough GPU memory for the job, even fully offloaded."""

    code = "insufficient_vram"


@dataclass(frozen=True)
class Placing:
    """A queued job with its kind and typed payload, read once for all the workers it is weighed on."""

    job: Job
    kind: WorkerKind[Any]
    payload: Any

    def need_gib(self, total_gib: float) -> float | None:
        """The kind's estimate of the job's GPU memory at its leanest placement; None if unknown.

        An estimate for fit checks only: the memory plan is made on the worker, once per attempt.
        """
        return self.kind.least_gib(self.payload, total_gib)

    @property
    def model(self) -> str | None:
        return self.kind.model(self.payload)


def fits(placing: Placing, slot: WorkerSlot) -> bool:
    total = slot.total_vram_gib
    if total is None:  # a CPU worker runs anything, slowly
        return True
    need = placing.need_gib(total)
    return need is None or need <= total * HEADROOM


def choose(placing: Placing, idle: list[WorkerSlot], every: list[WorkerSlot]) -> WorkerSlot | None:
    """The idle worker to run the job on, or None to wait for one; ``NeverFits`` if none ever can.

    Among idle workers that fit the job: one holding its model first (no load),
    then the one with the most free VRAM.
    """
    job = placing.job
    known = [s for s in every if s.info]
    if known and len(known) == len(every) and not any(fits(placing, s) for s in known):
        largest = max((s.total_vram_gib or 0.0) for s in known)
        need = placing.need_gib(largest) or 0.0
        raise NeverFits(
            f"{job.model} at {job.size} x {job.num_frames} frames needs about {need:.1f} GiB of GPU "
            f"memory even with full offloading; the largest GPU here has {largest:.1f} GiB. "
            "Ask for a smaller size or fewer frames, or add a GPU with more memory"
        )
    candidates = [s for s in idle if fits(placing, s)]
    if not candidates:
        return None
    model = placing.model
    return max(
        candidates,
        key=lambda s: (model is not None and model in s.models, s.info.get("free_vram_gib") or 0.0),
    )

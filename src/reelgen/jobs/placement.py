"""Which worker should run a job: one that can fit it, preferring one that already holds its model."""

from __future__ import annotations

from reelgen.core.errors import ReelgenError
from reelgen.core.spec.memory import HEADROOM, DeviceInfo
from reelgen.jobs.cluster import WorkerSlot
from reelgen.jobs.records import Job


class NeverFits(ReelgenError):
    """No worker in the cluster has enough GPU memory for the job, even fully offloaded."""

    code = "insufficient_vram"


def need_gib(job: Job, total_gib: float) -> float | None:
    """GPU memory the job's model plans to use on a card of ``total_gib``; None if unknown here.

    Uses the family's own memory planner with the whole card as budget, so
    offloading is already counted: what is left is the leanest peak.
    """
    from reelgen.core.spec import registry

    try:
        backend_cls, preset = registry.resolve(job.model)
        request = job.generation_request()
        card = DeviceInfo("cuda:0", "GPU", total_gib, total_gib)
        return backend_cls(preset).plan_for(request, card, total_gib).need_gib
    except ReelgenError:
        return None  # a model only the workers know; they check it themselves


def fits(job: Job, slot: WorkerSlot) -> bool:
    total = slot.total_vram_gib
    if total is None:  # a CPU worker runs anything, slowly
        return True
    need = need_gib(job, total)
    return need is None or need <= total * HEADROOM


def choose(job: Job, idle: list[WorkerSlot], every: list[WorkerSlot]) -> WorkerSlot | None:
    """The idle worker to run ``job`` on, or None to wait for one; ``NeverFits`` if none ever can.

    Among idle workers that fit the job: one holding the model first (no
    load), then the one with the most free VRAM.
    """
    known = [s for s in every if s.info]
    if known and len(known) == len(every) and not any(fits(job, s) for s in known):
        largest = max((s.total_vram_gib or 0.0) for s in known)
        need = need_gib(job, largest)
        raise NeverFits(
            f"{job.model} at {job.size} x {job.num_frames} frames needs about {need:.1f} GiB of GPU "
            f"memory even with full offloading; the largest GPU here has {largest:.1f} GiB. "
            "Ask for a smaller size or fewer frames, or add a GPU with more memory"
        )
    candidates = [s for s in idle if fits(job, s)]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda s: (job.model in s.models, s.info.get("free_vram_gib") or 0.0),
    )

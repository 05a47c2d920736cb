"""What ``GET /v1/system`` says of the workers: each one, the GPU and VRAM totals, the loaded models and the queue."""

from __future__ import annotations

from typing import Any


def system_report(
    workers: list[dict[str, Any]], counts: dict[str, int], engine: dict[str, Any]
) -> dict[str, Any]:
    """The report from what the workers said of themselves (``workers``), the jobs by status and the engine."""
    gpu_workers = [w for w in workers if w.get("total_vram_gib") is not None]
    return {
        "workers": workers,
        "gpus": sum(w["gpus"] for w in workers),
        # None, not 0, where no worker has a GPU: 0 GiB free reads as a full card.
        "vram_total_gib": sum(w["total_vram_gib"] for w in gpu_workers) if gpu_workers else None,
        "vram_free_gib": sum(w.get("free_vram_gib") or 0.0 for w in gpu_workers) if gpu_workers else None,
        "loaded_models": sorted({m for w in workers for m in w.get("loaded_models") or []}),
        "queue": {"queued": counts["queued"], "in_progress": counts["in_progress"]},
        "jobs": counts,
        "engine": engine,
    }

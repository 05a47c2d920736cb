"""Benchmarks that print JSON: one render per case, with stage timings, per-step speed and peak VRAM."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec.request import ResolvedRequest


def bench_request(
    request: ResolvedRequest, output: Path, *, vram_budget_gib: float | None = None
) -> dict[str, Any]:
    """Render ``request`` once and report where the time and memory went."""
    steps: list[float] = []

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.step > 0:
            steps.append(event.elapsed_s)

    started = time.monotonic()
    result = render(request, output, progress=Progress(on_event=on_event), vram_budget_gib=vram_budget_gib)
    wall = time.monotonic() - started
    meta = result.metadata
    per_step = [b - a for a, b in zip([0.0, *steps], steps, strict=False)]
    denoise = steps[-1] if steps else None
    timings = meta["timings"]
    return {
        "model": meta["model"]["name"],
        "size": f"{result.video.width}x{result.video.height}x{result.video.num_frames}",
        "steps": len(steps),
        "wall_s": round(wall, 3),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "denoise_s": None if denoise is None else round(denoise, 3),
        "step_median_s": round(statistics.median(per_step), 4) if per_step else None,
        # Text encoding before the first step plus VAE decode after the last.
        "outside_denoise_s": None if denoise is None else round(timings["generate"] - denoise, 3),
        "peak_vram_gib": None if meta["peak_vram_gib"] is None else round(meta["peak_vram_gib"], 2),
        "memory_plan": meta["memory_plan"]["strategy"],
        "device": meta["device"]["name"],
        "output": str(result.path),
    }

"""What the parent hands each process of a run over several devices (pure data, no torch)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reelgen.core.parallel.layout import ParallelOptions
from reelgen.core.spec.request import ResolvedRequest


@dataclass(frozen=True)
class RankJob:
    """Everything a process needs to take its share of one run (sent down its pipe, pickled)."""

    request: ResolvedRequest
    output: Path
    world: int
    port: int
    cuda: bool
    options: ParallelOptions
    vram_budget_gib: float | None
    preview_every: int

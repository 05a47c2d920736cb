"""What a batch did, in numbers: done, failed with reasons, skipped with reasons, time, peak VRAM and cost."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["done", "reused", "failed", "skipped"]
#: The parts of a reason that name its item ("items[3] (fox): ", "items[3].", " (job 1a2b)").
_ITEM_PREFIX = re.compile(r"^items\[\d+\](?: \([^)]*\): |\.)")
_JOB_SUFFIX = re.compile(r" \(job [^()\s]+\)$")
_NAMED_ITEM = re.compile(r"^(items\[\d+\]) \(([^)]*)\): ")
#: How many names a line about several items lists before "and N more".
NAMES_SHOWN = 5


class ItemOutcome(BaseModel):
    """How one item ended. ``reused``: finished by an earlier run with the same content key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    output: str
    status: Status
    video: str | None = None
    reason: str | None = None
    code: str | None = None
    param: str | None = None
    render_s: float = 0.0
    peak_vram_gib: float | None = None
    device: str | None = None
    #: Whether the time was spent running a model (priced) or filming a still (Ken Burns, CPU only).
    model_run: bool = True


class Problem(BaseModel):
    """A failed or skipped item and why."""

    output: str
    reason: str
    code: str | None = None
    param: str | None = None


class BatchSummary(BaseModel):
    """The end of a batch. ``done`` counts items finished now or by an earlier run (``reused``).

    ``render_hours`` is the model time of every finished item (earlier runs'
    included, as recorded); its part on GPUs is priced at ``price_per_gpu_hour``
    for ``estimated_cost``. Time on a CPU costs nothing, as in a job's ``cost_usd``.
    """

    model_config = ConfigDict(extra="forbid")

    total: int
    done: int
    reused: int
    failed: list[Problem]
    skipped: list[Problem]
    time_s: float
    render_hours: float
    price_per_gpu_hour: float
    currency: str
    estimated_cost: float
    peak_vram_gib: float | None
    devices: list[str]
    outputs: list[str]
    #: The manifest file that wrote it (absolute); None when it came with none (an API batch with no file
    #: name). Another manifest into this folder is refused by it (``folder_summary``).
    manifest: str | None = None

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "done": self.done,
            "failed": len(self.failed),
            "skipped": len(self.skipped),
        }

    def lines(self) -> list[str]:
        """The summary as a person reads it, one line each."""
        vram = f"{self.peak_vram_gib:.2f} GiB" if self.peak_vram_gib is not None else "not measured (no GPU)"
        # Reused items' renders count: "time 1.1 s; model time 70.7 s" said more than the run took.
        earlier = " (earlier runs' included)" if self.reused and self.render_hours else ""
        out = [
            f"{self.done} of {self.total} done ({self.reused} from an earlier run), {len(self.failed)} failed, "
            f"{len(self.skipped)} skipped",
            f"time {self.time_s:.1f} s; model time {self.render_hours * 3600:.1f} s{earlier}; peak VRAM {vram}",
            f"estimated cost {self.estimated_cost:.4f} {self.currency} at {self.price_per_gpu_hour:g} "
            f"{self.currency} per GPU-hour{self._unpriced()}",
        ]
        out += _said_once("failed", self.failed, self.total)
        out += _said_once("skipped", self.skipped, self.total)
        return out

    def _unpriced(self) -> str:
        """Why model time cost nothing: "model time 32.6 s" beside "estimated cost 0.0000 USD at 2 USD per
        GPU-hour" read as a wrong sum, where the time ran on no GPU (docs/batch.md prices GPU time only)."""
        on_gpu = any(device.startswith("cuda") for device in self.devices)
        if self.render_hours <= 0 or on_gpu or self.price_per_gpu_hour <= 0:
            return ""
        return " (no GPU time: renders on a CPU and Ken Burns clips are not priced)"


def cause(reason: str) -> str:
    """``reason`` without the parts that name its item, so items that failed the same way say the same."""
    return _JOB_SUFFIX.sub("", _ITEM_PREFIX.sub("", reason))


def _own(problem: Problem) -> str:
    """``NAME (items[N]): why`` for a reason that names its item by index and name, else ``NAME: reason``."""
    named = _NAMED_ITEM.match(problem.reason)
    if named and named.group(2) == problem.output:  # "c: items[2] (c): ..." said the name twice
        return f"{problem.output} ({named.group(1)}): {problem.reason[named.end() :]}"
    return f"{problem.output}: {problem.reason}"


def _said_once(status: str, problems: list[Problem], total: int) -> Iterator[str]:
    """One line per cause: an item's own reason, or the cause once for every item that shares it (a bad
    default or a missing model fails them all alike, and a hundred copies would hide anything else)."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(cause(problem.reason), []).append(problem)
    for why, same in groups.items():
        if len(same) == 1:
            yield f"{status} {_own(same[0])}"
            continue
        if len(same) == total:
            yield f"all {total} items {status} the same way: {why}"
            continue
        names = ", ".join(p.output for p in same[:NAMES_SHOWN])
        more = f" and {len(same) - NAMES_SHOWN} more" if len(same) > NAMES_SHOWN else ""
        yield f"{len(same)} items {status} the same way ({names}{more}): {why}"


def summarize(
    outcomes: Sequence[ItemOutcome],
    time_s: float,
    price_per_gpu_hour: float,
    currency: str = "USD",
    manifest: Path | None = None,
) -> BatchSummary:
    """The summary of ``outcomes`` (one per item, in manifest order) by the manifest file ``manifest``."""
    finished = [o for o in outcomes if o.status in ("done", "reused")]
    hours = sum(o.render_s for o in finished if o.model_run) / 3600
    gpu_hours = (
        sum(o.render_s for o in finished if o.model_run and (o.device or "").startswith("cuda")) / 3600
    )
    peaks = [o.peak_vram_gib for o in finished if o.peak_vram_gib is not None]

    def problems(status: Status) -> list[Problem]:
        return [
            Problem(output=o.output, reason=o.reason or status, code=o.code, param=o.param)
            for o in outcomes
            if o.status == status
        ]

    return BatchSummary(
        total=len(outcomes),
        done=len(finished),
        reused=sum(o.status == "reused" for o in outcomes),
        failed=problems("failed"),
        skipped=problems("skipped"),
        time_s=round(time_s, 3),
        render_hours=round(hours, 6),
        price_per_gpu_hour=price_per_gpu_hour,
        currency=currency,
        estimated_cost=round(gpu_hours * price_per_gpu_hour, 4),
        peak_vram_gib=round(max(peaks), 3) if peaks else None,
        devices=sorted({o.device for o in finished if o.device}),
        outputs=[o.video for o in finished if o.video],
        manifest=str(manifest) if manifest is not None else None,
    )


def outcome_of(output: str, meta: dict[str, Any], status: Status) -> ItemOutcome:
    """An item's outcome from its ``video_meta.json`` (this run's or an earlier one's)."""
    metrics = meta.get("metrics") or {}
    return ItemOutcome(
        output=output,
        status=status,
        video=meta.get("video_path"),
        render_s=float((metrics.get("timings") or {}).get("total") or 0.0),
        peak_vram_gib=metrics.get("peak_vram_gib"),
        device=metrics.get("device"),
        model_run=(meta.get("how") or {}).get("kind") != "ken_burns",
    )

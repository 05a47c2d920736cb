"""Trials folded into one bar per model, for plots of more trials than fit one bar each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reelgen.core.shootout.results import STAGES, TrialResult

#: The most trials a plot draws one bar each: 32 models x 1,000 prompts drew a 3,500,000 px wide picture
#: after all the GPU time, and such a plot is unreadable long before.
MAX_BARS = 48


def _mean(values: Sequence[float | None]) -> float | None:
    known = [float(v) for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _timings(done: Sequence[TrialResult]) -> dict[str, float]:
    """Mean seconds per finished trial for each stage; load is the model's own (its first trial has it)."""
    timings: dict[str, float] = {}
    for stage in STAGES:
        values = [r.timings[stage] for r in done if stage in r.timings]
        if values:
            timings[stage] = sum(values) if stage == "load" else sum(values) / len(done)
    return timings


def _quality(done: Sequence[TrialResult]) -> dict[str, Any] | None:
    means = [(r.quality or {}).get("temporal_ssim_mean") for r in done]
    worst = [v for r in done if (v := (r.quality or {}).get("temporal_ssim_min")) is not None]
    return {"temporal_ssim_mean": _mean(means), "temporal_ssim_min": min(worst) if worst else None}


def model_result(model: str, trials: Sequence[TrialResult]) -> TrialResult:
    """One model's trials as one: means over its finished trials, its worst SSIM pair, its highest VRAM
    peak, and its mean score as the ranking counts it (a failed trial 0)."""
    done = [r for r in trials if r.status == "done"]
    vram = [r.peak_vram_gib for r in done if r.peak_vram_gib is not None]
    return TrialResult(
        key=model,
        model=model,
        prompt_id=f"{len(done):,} of {len(trials):,} done",
        prompt="",
        status="done" if done else "failed",
        timings=_timings(done),
        peak_vram_gib=max(vram) if vram else None,
        quality=_quality(done) if done else None,
        score=sum(r.score for r in trials) / len(trials),
    )


def per_model(results: Sequence[TrialResult]) -> list[TrialResult]:
    """``results`` as one result per model, in the order the models first appear."""
    models = list(dict.fromkeys(r.model for r in results))
    return [model_result(m, [r for r in results if r.model == m]) for m in models]


def what_bars_are(trials: int) -> str:
    """What one bar of the plots stands for, said under them in the report."""
    if trials <= MAX_BARS:
        return "one bar per trial"
    return (
        f"one bar per model: {trials:,} trials are too many to draw one by one (at most {MAX_BARS}), so each "
        "bar is the model's mean over its finished trials (its load time once, its highest VRAM peak, its "
        "worst consecutive-frame SSIM, its mean score with failed trials as 0); every trial's numbers are "
        "in the table above and in results.json"
    )

"""The shoot-out's weighted score: each part 0..1 (1 is best in the field), weighted, out of 100.

Speed, cost and VRAM are relative (the best trial scores 1, one twice as slow
0.5; speed and cost per second of video made, so a model's shorter default clip
does not win for making less); temporal consistency and artefacts are absolute, from the quality
checks. A part nobody could measure (VRAM on a CPU) is left out and the other
weights share its place. A clip of one frame is a still: its temporal part is 0, not left out
(left out, a still scored 100 against moving clips). A failed trial scores 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reelgen.core.quality import FLICKER_LIMIT
from reelgen.core.shootout.results import TrialResult
from reelgen.core.shootout.spec import Weights


def artefact_part(metrics: dict[str, Any], frames: int) -> float:
    """1 minus the share of bad frames (flashing, frozen, black) and the flicker as a share of twice its limit."""
    frozen = sum(int(n) for _, n in metrics.get("frozen_runs") or [])
    bad = len(metrics.get("flash_frames") or []) + frozen + len(metrics.get("black_frames") or [])
    flicker = min(1.0, float(metrics.get("flicker") or 0.0) / (2 * FLICKER_LIMIT))
    return max(0.0, 1.0 - bad / max(frames, 1) - flicker)


def _relative(value: float | None, best: float | None) -> float | None:
    if value is None or best is None:
        return None
    return 1.0 if value <= 0 else min(1.0, best / value)


def _best(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None and v > 0]
    return min(known) if known else None


def _per_video_second(value: float | None, result: TrialResult) -> float | None:
    seconds = result.video_seconds
    return value / seconds if value is not None and seconds else None


def _generate_per_second(result: TrialResult) -> float | None:
    # Per second of video, as cost is: raw time made a model whose default clip is shorter the fastest.
    return _per_video_second(result.timings.get("generate"), result)


def _cost_per_second(result: TrialResult) -> float | None:
    return _per_video_second(result.cost, result)


def score_trials(results: Sequence[TrialResult], weights: Weights) -> list[TrialResult]:
    """``results`` with ``parts`` and ``score`` filled in; the field is every finished trial."""
    done = [r for r in results if r.status == "done"]
    best_time = _best([_generate_per_second(r) for r in done])
    best_cost = _best([_cost_per_second(r) for r in done])
    best_vram = _best([r.peak_vram_gib for r in done])
    # Weights are of any scale: as shares of the largest, so that huge ones (1e308) sum to a number,
    # not to infinity, which made every score NaN.
    raw = weights.model_dump()
    w = {k: v / max(raw.values()) for k, v in raw.items()}
    scored = []
    for r in results:
        if r.status != "done":
            scored.append(r.model_copy(update={"score": 0.0, "parts": {}}))
            continue
        quality = r.quality or {}
        ssim = quality.get("temporal_ssim_mean")
        still = r.frames == 1
        parts = {
            "speed": _relative(_generate_per_second(r), best_time),
            "cost": _relative(_cost_per_second(r), best_cost),
            "vram": _relative(r.peak_vram_gib, best_vram),
            "temporal": 0.0 if still else max(0.0, float(ssim)) if ssim is not None else None,
            "artefacts": artefact_part(quality, r.frames or 0),
        }
        known = {k: v for k, v in parts.items() if v is not None}
        total = sum(w[k] for k in known)
        score = 100 * sum(w[k] * v for k, v in known.items()) / total if total else 0.0
        problems = r.problems
        if still and w["temporal"]:
            # Nothing moves, so nothing can flicker, freeze or fall apart: every motion check passed it.
            problems = [
                *problems,
                "1 frame: a still, not a moving clip; its temporal part scores 0 (no motion to judge)",
            ]
        if not total:  # every trial scored 0 and nothing said why (weights on VRAM alone, on a CPU)
            weighted = ", ".join(k for k, v in w.items() if v)
            problems = [
                *problems,
                f"scored 0: no part the weights count ({weighted}) was measured for it; "
                "weight speed, temporal or artefacts too",
            ]
        scored.append(
            r.model_copy(
                update={
                    "score": round(score, 2),
                    "parts": {k: round(v, 4) for k, v in known.items()},
                    "problems": problems,
                }
            )
        )
    return scored


def ranking(results: Sequence[TrialResult]) -> list[dict[str, Any]]:
    """Models by mean score over their prompts, best first (failed trials count as 0)."""
    models = list(dict.fromkeys(r.model for r in results))
    rows = []
    for model in models:
        mine = [r for r in results if r.model == model]
        rows.append(
            {
                "model": model,
                "score": round(sum(r.score for r in mine) / len(mine), 2),
                "done": sum(r.status == "done" for r in mine),
                "trials": len(mine),
            }
        )
    return sorted(rows, key=lambda row: -row["score"])

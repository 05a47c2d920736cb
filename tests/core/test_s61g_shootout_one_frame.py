"""A shoot-out clip of one frame is a still: it does not score 100 by having no motion to judge."""

from __future__ import annotations

from reelgen.core.shootout import TrialResult
from reelgen.core.shootout.score import score_trials
from reelgen.core.shootout.spec import Weights


def _clip(model: str, frames: int, ssim: float | None) -> TrialResult:
    metrics = {"temporal_ssim_mean": ssim, "flicker": 0.0, "frozen_runs": [], "flash_frames": []}
    return TrialResult(
        key=f"{model}--p1",
        model=model,
        prompt_id="p1",
        prompt="a fox",
        status="done",
        frames=frames,
        fps=8.0,
        timings={"generate": frames / 8.0},  # equally fast per second of video
        quality={**metrics, "black_frames": []},
    )


def test_a_one_frame_clip_scores_below_a_steady_moving_one_and_says_why() -> None:
    still, moving = score_trials([_clip("still", 1, None), _clip("moving", 16, 0.95)], Weights())
    assert still.score < moving.score  # it scored 100, above every clip that moved
    assert still.parts["temporal"] == 0.0
    assert any("1 frame: a still" in p for p in still.problems)
    assert not any("1 frame" in p for p in moving.problems)


def test_with_temporal_unweighted_a_still_is_neither_penalised_nor_told_so() -> None:
    weights = Weights(speed=1, cost=0, vram=0, temporal=0, artefacts=1)
    [still] = score_trials([_clip("still", 1, None)], weights)
    assert still.score == 100.0 and not still.problems

"""The shoot-out's speed part is generate time per second of video made, as its cost part is: with sizes
and lengths unset, a model whose default clip is shorter won on speed for making less."""

from __future__ import annotations

from reelgen.core.shootout import TrialResult, score_trials
from reelgen.core.shootout.spec import Weights


def _trial(model: str, frames: int, generate: float) -> TrialResult:
    return TrialResult(
        key=f"{model}--p1",
        model=model,
        prompt_id="p1",
        prompt="a fox",
        status="done",
        frames=frames,
        fps=8.0,
        timings={"generate": generate, "total": generate},
        quality={"temporal_ssim_mean": 0.9, "flicker": 0.0},
    )


SPEED_ONLY = Weights(speed=1, cost=0, vram=0, temporal=0, artefacts=0)


def test_equal_time_for_twice_the_video_is_twice_as_fast() -> None:
    long, short = score_trials([_trial("long", 48, 10.0), _trial("short", 24, 10.0)], SPEED_ONLY)
    assert (long.parts["speed"], short.parts["speed"]) == (1.0, 0.5)
    assert (long.score, short.score) == (100.0, 50.0)


def test_a_shorter_clip_made_in_less_time_at_the_same_rate_ties() -> None:
    long, short = score_trials([_trial("long", 48, 10.0), _trial("short", 24, 5.0)], SPEED_ONLY)
    assert long.parts["speed"] == short.parts["speed"] == 1.0

"""A large shoot-out's plots draw in bounded size: a bar per model past MAX_BARS trials, not per trial."""

from __future__ import annotations

import io

from PIL import Image

from reelgen.core.shootout import TrialResult
from reelgen.core.shootout.per_model import MAX_BARS, per_model
from reelgen.core.shootout.plots import PLOTS


def _trials(models: int, prompts: int) -> list[TrialResult]:
    return [
        TrialResult(
            key=f"m{m}--p{p}",
            model=f"m{m}",
            prompt_id=f"p{p}",
            prompt="a fox",
            status="failed" if (m, p) == (1, 0) else "done",
            score=0.0 if (m, p) == (1, 0) else 50.0 + m,
            timings={"load": 4.0, "generate": 2.0 + m} if p == 0 else {"generate": 2.0 + m},
            peak_vram_gib=1.0 + p / 100,
            quality={"temporal_ssim_mean": 0.9, "temporal_ssim_min": 0.8 - p / 1000},
        )
        for m in range(models)
        for p in range(prompts)
    ]


def test_plots_of_a_thousand_trials_are_no_wider_than_of_a_few() -> None:
    # 600 trials drew a plot ~66,000 px wide; 32 models x 1,000 prompts could not be drawn at all.
    few = _trials(3, 2)
    many = _trials(4, 250)
    for name, make in PLOTS.items():
        small = Image.open(io.BytesIO(make(few))).size
        large = Image.open(io.BytesIO(make(many))).size
        assert large[0] <= small[0], name
        assert large[0] <= (1.1 * MAX_BARS + 2) * 100, name


def test_a_bar_per_model_is_its_mean_over_finished_trials_and_its_score_as_ranked() -> None:
    rows = {r.model: r for r in per_model(_trials(2, 4))}
    assert rows["m1"].prompt_id == "3 of 4 done"
    assert rows["m1"].score == (0 + 51 * 3) / 4  # as the ranking counts a failed trial
    assert rows["m0"].timings == {"load": 4.0, "generate": 2.0}  # load once, generate a mean
    assert rows["m0"].peak_vram_gib == 1.03
    assert rows["m0"].quality == {"temporal_ssim_mean": 0.9, "temporal_ssim_min": 0.797}

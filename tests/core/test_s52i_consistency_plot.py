"""The consistency plot: an SSIM nobody measured is written "not measured", not drawn as a 0 bar, and a
negative SSIM stays below the axis's 0 instead of being cut off."""

from __future__ import annotations

from typing import Any

from reelgen.core.shootout import TrialResult
from reelgen.core.shootout.plots import consistency_figure


def _trial(model: str, quality: dict[str, Any] | None) -> TrialResult:
    return TrialResult(
        key=f"{model}--p1", model=model, prompt_id="p1", prompt="a fox", status="done", quality=quality
    )


def _bar_heights(figure: Any) -> list[float]:
    axes = figure.axes[0]
    return [patch.get_height() for patch in axes.patches]


def _texts(figure: Any) -> list[str]:
    return [t.get_text() for t in figure.axes[0].texts]


def test_an_unmeasured_ssim_is_labelled_not_measured_and_has_no_bar() -> None:
    # A 1024x48 clip is under 7 px tall once downscaled: quality gives None, which was drawn as a 0 bar.
    figure = consistency_figure(
        [
            _trial("a", {"temporal_ssim_mean": 0.9, "temporal_ssim_min": 0.8}),
            _trial("b", {"temporal_ssim_mean": None, "temporal_ssim_min": None}),
        ]
    )
    assert sorted(_bar_heights(figure)) == [0.8, 0.9]
    assert _texts(figure) == ["not measured"]


def test_a_negative_ssim_is_drawn_below_zero_and_stays_in_view() -> None:
    figure = consistency_figure([_trial("a", {"temporal_ssim_mean": -0.3, "temporal_ssim_min": -0.5})])
    assert sorted(_bar_heights(figure)) == [-0.5, -0.3]
    bottom, top = figure.axes[0].get_ylim()
    assert bottom < -0.5 and top >= 1.0


def test_a_failed_trial_is_not_also_called_not_measured() -> None:
    failed = TrialResult(key="b--p1", model="b", prompt_id="p1", prompt="x", status="failed")
    figure = consistency_figure([_trial("a", {"temporal_ssim_mean": 0.9, "temporal_ssim_min": 0.8}), failed])
    assert _texts(figure) == ["failed"]


def test_a_last_trial_with_no_bar_keeps_its_slot_in_view() -> None:
    # With no bar drawn there, the axis ended at the last bar and cut "not measured" off.
    figure = consistency_figure(
        [
            _trial("a", {"temporal_ssim_mean": 0.9, "temporal_ssim_min": 0.8}),
            _trial("b", {"temporal_ssim_mean": None, "temporal_ssim_min": None}),
        ]
    )
    left, right = figure.axes[0].get_xlim()
    assert left <= -0.5 and right >= 1.5

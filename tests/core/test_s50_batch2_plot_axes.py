"""A shoot-out report's plot with nothing measured (peak VRAM of runs on the CPU, scores when every trial
failed, times when none was timed) has no value axis; it showed -0.04 to 0.04 GiB, as if measured."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from matplotlib.figure import Figure

from reelgen.core.shootout import TrialResult, plots


def _drawn(
    monkeypatch: pytest.MonkeyPatch,
    plot: Callable[[Sequence[TrialResult]], bytes],
    results: list[TrialResult],
) -> Figure:
    figures: list[Figure] = []
    monkeypatch.setattr(plots, "_png", lambda figure: figures.append(figure) or b"")
    plot(results)
    return figures[0]


def _trial(n: int, status: str, vram: float | None = None) -> TrialResult:
    done = status == "done"
    return TrialResult(
        key=f"m--p{n}",
        model="m",
        prompt_id=f"p{n}",
        prompt="a fox",
        status=status,  # type: ignore[arg-type]
        score=60.0 if done else 0.0,
        peak_vram_gib=vram,
        timings={"generate": 2.0} if done else {},
    )


@pytest.mark.parametrize(
    ("plot", "results", "said"),
    [
        (plots.peak_vram, [_trial(1, "done"), _trial(2, "done")], "not measured: these runs used no GPU"),
        (plots.scores, [_trial(1, "failed"), _trial(2, "failed")], "no trial finished"),
        (plots.stage_times, [_trial(1, "failed"), _trial(2, "failed")], "no trial was timed"),
    ],
)
def test_a_plot_of_nothing_measured_has_no_value_axis(
    monkeypatch: pytest.MonkeyPatch,
    plot: Callable[[Sequence[TrialResult]], bytes],
    results: list[TrialResult],
    said: str,
) -> None:
    (axes,) = _drawn(monkeypatch, plot, results).axes
    assert list(axes.get_yticks()) == [] and axes.get_ylabel() == ""
    assert said in [t.get_text() for t in axes.texts]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["m\np1", "m\np2"]


def test_a_measured_plot_starts_at_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    (axes,) = _drawn(monkeypatch, plots.peak_vram, [_trial(1, "done", 3.5), _trial(2, "failed")]).axes
    assert axes.get_ylabel() == "GiB" and axes.get_ylim()[0] == 0 and axes.get_ylim()[1] >= 3.5

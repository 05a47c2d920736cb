"""The report's plots as PNG bytes (matplotlib's Agg canvas: no display, no global pyplot state)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from reelgen.core.shootout.per_model import MAX_BARS, per_model
from reelgen.core.shootout.results import STAGES, TrialResult

_FAILED = "#c44e52"
_COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c")


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _labels(results: Sequence[TrialResult]) -> list[str]:
    return [f"{r.model}\n{r.prompt_id}" for r in results]


def _model_colours(results: Sequence[TrialResult]) -> list[str]:
    models = list(dict.fromkeys(r.model for r in results))
    return [_COLOURS[models.index(r.model) % len(_COLOURS)] for r in results]


def _drawn(results: Sequence[TrialResult]) -> tuple[Sequence[TrialResult], str]:
    """The bars to draw and what the title adds: a bar per trial, or per model past ``MAX_BARS`` trials
    (the width grew with the trials: ~66,000 px at 600, and a large shoot-out's report could fail to draw)."""
    if len(results) <= MAX_BARS:
        return results, ""
    return per_model(results), " (mean per model)"


def _figure(results: Sequence[TrialResult]) -> Figure:
    # Capped, so that any number of models (a bar each) draws in bounded memory; past it bars are narrower.
    return Figure(figsize=(min(max(6.0, 1.1 * len(results) + 2), 1.1 * MAX_BARS + 2), 4.0))


def _ticks(axes: Axes, results: Sequence[TrialResult]) -> None:
    x = list(range(len(results)))
    # Upright names of more bars than the capped width holds would overlap: turned, they fit.
    axes.set_xticks(x, _labels(results), fontsize=8, rotation=90 if len(results) > MAX_BARS else 0)


def _mark_failed(axes: Axes, results: Sequence[TrialResult]) -> None:
    """Write "failed" where a failed trial's bar would be: an empty slot read as a score of 0."""
    for i, r in enumerate(results):
        if r.status == "failed":
            axes.text(i, 0, "failed", ha="center", va="bottom", rotation=90, color=_FAILED, fontsize=9)


def _nothing_measured(axes: Axes, said: str, trials: int) -> None:
    """No value axis, and ``said`` in its place: an axis of nothing read -0.04 to 0.04 GiB, as if measured."""
    axes.set_xlim(-0.5, trials - 0.5)  # the slots the bars would stand in
    axes.set_ylim(0, 1)
    axes.set_yticks([])
    axes.set_ylabel("")
    axes.text(0.5, 0.5, said, ha="center", va="center", transform=axes.transAxes)


def stage_times(results: Sequence[TrialResult]) -> bytes:
    """Seconds per stage for each trial, stacked (load appears once per model: the first trial's)."""
    results, per = _drawn(results)
    figure = _figure(results)
    axes = figure.add_subplot()
    x = list(range(len(results)))
    bottom = [0.0] * len(results)
    drawn = False
    for n, stage in enumerate(STAGES):
        heights = [r.timings.get(stage, 0.0) for r in results]
        if any(heights):
            axes.bar(x, heights, bottom=bottom, label=stage, color=_COLOURS[n % len(_COLOURS)])
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            drawn = True
    _mark_failed(axes, results)
    _ticks(axes, results)
    axes.set_title("Time per stage" + per)
    # With no stage timed (every trial failed before rendering) a legend has nothing to show,
    # and asking for one prints matplotlib's warning on the user's terminal.
    if drawn:
        axes.set_ylabel("seconds")
        axes.legend(fontsize=8)
    else:
        _nothing_measured(axes, "no trial was timed", len(results))
    return _png(figure)


def _bars(
    results: Sequence[TrialResult], values: list[float | None], title: str, unit: str, empty: str
) -> bytes:
    """A bar per trial (or model); ``None`` is not measured (a failed trial, a run with no GPU)."""
    figure = _figure(results)
    axes = figure.add_subplot()
    x = list(range(len(results)))
    _ticks(axes, results)
    axes.set_title(title)
    if all(v is None for v in values):
        _nothing_measured(axes, empty, len(results))
    else:
        axes.bar(x, [v or 0.0 for v in values], color=_model_colours(results))
        axes.set_ylim(bottom=0)  # nothing measured is below 0
        axes.set_ylabel(unit)
    _mark_failed(axes, results)
    return _png(figure)


def peak_vram(results: Sequence[TrialResult]) -> bytes:
    results, per = _drawn(results)
    return _bars(
        results,
        [r.peak_vram_gib for r in results],
        "Peak VRAM" + per.replace("mean", "highest"),
        "GiB",
        "not measured: these runs used no GPU",
    )


def scores(results: Sequence[TrialResult]) -> bytes:
    results, per = _drawn(results)
    # A failed trial's score is 0 by rule, not measured: all failed drew a -0.04 to 0.04 axis.
    measured = [r.score if r.status != "failed" else None for r in results]
    return _bars(results, measured, "Weighted score (0-100)" + per, "score", "no trial finished")


def consistency_figure(results: Sequence[TrialResult]) -> Figure:
    """Temporal SSIM (mean and worst) per trial: how well consecutive frames hold together."""
    results, per = _drawn(results)
    figure = _figure(results)
    axes = figure.add_subplot()
    x = list(range(len(results)))
    drawn: list[float] = []
    for key, label, offset, colour in (
        ("temporal_ssim_mean", "mean", -0.2, _COLOURS[0]),
        ("temporal_ssim_min", "worst pair", 0.2, _COLOURS[1]),
    ):
        # None is not measured (frames under 7 px once downscaled): a 0 bar read as the worst score.
        values = [(i, (r.quality or {}).get(key)) for i, r in zip(x, results, strict=True)]
        known = [(i, float(v)) for i, v in values if v is not None]
        if known:
            axes.bar(
                [i + offset for i, _ in known], [v for _, v in known], width=0.4, label=label, color=colour
            )
            drawn += [v for _, v in known]
    for i, r in enumerate(results):
        q = r.quality or {}
        if r.status == "done" and q.get("temporal_ssim_mean") is None and q.get("temporal_ssim_min") is None:
            axes.text(i, 0, "not measured", ha="center", va="bottom", rotation=90, fontsize=9)
    _mark_failed(axes, results)
    _ticks(axes, results)
    axes.set_xlim(-0.5, len(results) - 0.5)  # a last slot with no bar was cut off, and its words with it
    # SSIM runs -1..1: a negative one (frames that invert each other) stays in view, below a line at 0.
    low = min([0.0, *drawn])
    axes.set_ylim(low - 0.05 if low < 0 else 0.0, 1)
    if low < 0:
        axes.axhline(0, color="#444", linewidth=0.8)
    axes.set_ylabel("SSIM between consecutive frames")
    axes.set_title("Temporal consistency" + per)
    if drawn:
        axes.legend(fontsize=8)
    return figure


def consistency(results: Sequence[TrialResult]) -> bytes:
    return _png(consistency_figure(results))


#: Every plot of the report, by file name.
PLOTS = {"times": stage_times, "vram": peak_vram, "scores": scores, "consistency": consistency}

"""The report's plots: still a picture when nothing rendered, and a failed trial marked, not an empty slot."""

from __future__ import annotations

import io
import warnings
from typing import Literal

import numpy as np
import pytest
from PIL import Image

from reelgen.core.shootout import TrialResult
from reelgen.core.shootout.plots import PLOTS, stage_times


def test_stage_times_of_trials_that_all_failed_is_a_png_without_a_warning() -> None:
    failed = [
        TrialResult(key=f"m--p{i}", model="m", prompt_id=f"p{i}", prompt="x", status="failed") for i in (1, 2)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "No artists with labels" warning fails the test
        png = stage_times(failed)
    assert png.startswith(b"\x89PNG")


def _trial(model: str, status: Literal["done", "failed"]) -> TrialResult:
    done = status == "done"
    return TrialResult(
        key=f"{model}--p1",
        model=model,
        prompt_id="p1",
        prompt="a fox",
        status=status,
        score=60.0 if done else 0.0,
        timings={"generate": 2.0, "encode": 0.1} if done else {},
        quality={"temporal_ssim_mean": 0.9, "temporal_ssim_min": 0.8} if done else None,
    )


def _red_pixels(png: bytes) -> int:
    """Pixels of the red the plots write "failed" in (no bar of two models is red)."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return int(((rgb[..., 0] > 150) & (rgb[..., 1] < 120) & (rgb[..., 2] < 120)).sum())


@pytest.mark.parametrize("name", ["times", "scores", "consistency"])
def test_a_failed_trial_is_written_failed_where_its_bar_would_be(name: str) -> None:
    # Its slot was empty: a reader could not tell a failed trial from one that scored 0.
    with_failure = PLOTS[name]([_trial("a", "done"), _trial("b", "failed")])
    all_done = PLOTS[name]([_trial("a", "done"), _trial("b", "done")])
    assert _red_pixels(with_failure) > 20 and _red_pixels(all_done) == 0

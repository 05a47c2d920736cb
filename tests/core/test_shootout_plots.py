"""The report's plots when nothing rendered: still a picture, and nothing printed on the terminal."""

from __future__ import annotations

import warnings

from reelgen.core.shootout import TrialResult
from reelgen.core.shootout.plots import stage_times


def test_stage_times_of_trials_that_all_failed_is_a_png_without_a_warning() -> None:
    failed = [
        TrialResult(key=f"m--p{i}", model="m", prompt_id=f"p{i}", prompt="x", status="failed") for i in (1, 2)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "No artists with labels" warning fails the test
        png = stage_times(failed)
    assert png.startswith(b"\x89PNG")

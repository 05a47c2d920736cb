"""A batch run again over finished items: its summary's model time counts the earlier runs' renders, and says
so (it read "time 1.1 s; model time 70.7 s", more model time than the run took, with no word why)."""

from __future__ import annotations

from reelgen.core.batch.summary import BatchSummary

BASE = {
    "total": 2,
    "failed": [],
    "skipped": [],
    "time_s": 1.1,
    "render_hours": 70.7 / 3600,
    "price_per_gpu_hour": 2.0,
    "currency": "USD",
    "estimated_cost": 0.0,
    "peak_vram_gib": None,
    "devices": ["cpu"],
    "outputs": [],
}


def test_model_time_of_reused_items_is_said_to_be_an_earlier_runs() -> None:
    summary = BatchSummary.model_validate({**BASE, "done": 2, "reused": 2})
    assert summary.lines()[1] == (
        "time 1.1 s; model time 70.7 s (earlier runs' included); peak VRAM not measured (no GPU)"
    )


def test_a_run_that_made_every_item_says_its_model_time_alone() -> None:
    summary = BatchSummary.model_validate({**BASE, "done": 2, "reused": 0, "time_s": 75.0})
    assert summary.lines()[1] == "time 75.0 s; model time 70.7 s; peak VRAM not measured (no GPU)"

"""A server batch's item whose job failed as it rendered (a camera LoRA not downloaded) names its place,
``items[N]``, and the manifest's field, as ``reelgen batch`` in process says it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import cast

from reelgen.core.batch.plan import PlannedItem
from reelgen.jobs.kinds.batch import _outcome
from reelgen.jobs.records import Job, JobStatus


def test_a_failed_items_job_error_names_its_place_and_field(tmp_path: Path) -> None:
    planned = PlannedItem(
        index=1,
        output="anim",
        video=str(tmp_path / "anim.mp4"),
        model="animatediff-tiny",
        motion={"preset": "zoom-in"},
    )
    needs = "needs guoyww/animatediff-motion-lora-zoom-in, which is not in the cache"
    error = {
        "code": "model_not_available",
        "message": f"camera_motion 'zoom-in' {needs}",
        "param": "options.camera_motion",
    }
    child = cast(Job, SimpleNamespace(id="j1", status=JobStatus.FAILED, error=error))
    outcome = _outcome(planned, child)
    # camera_motion is no field of a manifest: the item's motion chose the LoRA.
    assert outcome.reason == f"items[1] (anim): motion (AnimateDiff's camera LoRA 'zoom-in') {needs} (job j1)"
    assert outcome.param == "items[1].motion"

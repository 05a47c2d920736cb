"""A server batch's Ken Burns item over a black picture is failed naming the manifest's field, as in process."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from reelgen.core.batch import BatchSummary, Manifest
from reelgen.jobs import kinds
from reelgen.jobs.events import RunError
from reelgen.jobs.kinds.batch import BatchPayload
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.records import JobStatus
from reelgen.jobs.store import JobStore
from reelgen.jobs.worker import VideoWorker, pack_inputs


def test_a_black_keyframe_is_named_as_the_items_image(tmp_path: Path, worker: VideoWorker) -> None:
    Image.new("RGB", (320, 180), (3, 3, 3)).save(tmp_path / "dark.png")
    manifest = Manifest.model_validate(
        {
            "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}, "viability_threshold": 0},
            "items": [
                {"output": "night", "images": ["dark.png"], "width": 64, "height": 36, "num_frames": 2}
            ],
        }
    )
    out = tmp_path / "outputs"
    payload = BatchPayload(manifest=manifest, input_folder=str(tmp_path), output_folder=str(out))
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    driver = ParentDriver(store, cancel_job=store.cancel, wake=lambda: None)
    try:
        kind = kinds.parent("batch")
        parent = store.create(kind.name, kind.dump(payload), kind.facts(payload), start_as=DRIVER)
        driver.advance(parent.id)
        (child,) = store.children(parent.id)
        # The item's job run on a worker as the service runs it, failed as the service records it.
        started = store.claim_next("worker-test", job_id=child.id)
        assert started is not None
        ken_burns = kinds.worker(child.kind)
        request = kinds.payload_of(child)
        *_, end = worker.run(child.id, child.kind, child.payload, pack_inputs(ken_burns, request))
        assert isinstance(end, RunError), end
        store.fail(child.id, started.token, end.code, end.message)
        done = driver.advance(parent.id)
    finally:
        store.close()
    assert done is not None and done.status is JobStatus.COMPLETED, done and done.error
    assert done.result is not None
    (problem,) = BatchSummary.model_validate(done.result["summary"]).failed
    # Said as "image: the image file is black ...", with no param: a field no manifest has.
    assert problem.param == "items[0].images[0]"
    assert problem.reason.startswith(f"items[0].images[0]: {tmp_path / 'dark.png'} is black"), problem.reason
    assert child.id in problem.reason
    written = json.loads((out / "batch-summary.json").read_text())
    assert written["failed"][0]["param"] == "items[0].images[0]"
    assert written["failed"][0]["reason"] == problem.reason
    assert not (out / "night.mp4").exists()

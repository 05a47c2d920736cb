"""A shoot-out cancelled on a server keeps its finished trials' clips and says which trials finished."""

from __future__ import annotations

import json
from pathlib import Path

from reelgen.core.shootout.spec import PromptsFile
from reelgen.jobs import kinds
from reelgen.jobs.kinds.shootout import ShootoutPayload
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.store import JobStore
from tests.jobs.fakes import MODEL

CLIP = b"\x00\x00\x00\x18ftypmp42 a finished trial's clip"


def _queued_shootout(store: JobStore, out: Path, prompts: list[str]) -> str:
    """A shoot-out of the jobtest model on ``prompts``, queued for the driver as POST /v1/shootouts does."""
    kind = kinds.parent("shootout")
    payload = ShootoutPayload(
        models=[MODEL],
        prompts=PromptsFile.model_validate({"prompts": prompts}),
        input_folder=str(out.parent),
        output_folder=str(out),
    )
    return store.create(kind.name, kind.dump(payload), kind.facts(payload), start_as=DRIVER).id


def _finish(store: JobStore, child: Job, scratch: Path) -> None:
    """The worker's side of a trial that rendered: its clip in the job's files, its record in the result."""
    started = store.claim_next("worker-test", job_id=child.id)
    assert started is not None
    video = scratch / f"{child.id}.mp4"
    video.write_bytes(CLIP)
    result = {"files": {"video": str(video)}, "metadata": {"model": MODEL, "seed": 1}}
    store.complete(child.id, started.token, result)


def test_a_cancelled_shootout_keeps_the_clips_of_its_finished_trials(
    tmp_path: Path, jobtest_family: None
) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    driver = ParentDriver(store, cancel_job=store.cancel, wake=lambda: None)
    (scratch := tmp_path / "scratch").mkdir()
    out = tmp_path / "compare"
    try:
        parent_id = _queued_shootout(store, out, ["a fox", "a cat", "a dog"])
        driver.advance(parent_id)
        first = store.children(parent_id)[0]
        _finish(store, first, scratch)
        driver.advance(parent_id)  # the first trial ended: the second starts
        second = store.children(parent_id)[1]
        assert store.claim_next("worker-test", job_id=second.id) is not None  # running when cancelled
        ended = driver.cancel(store.cancel(parent_id))
    finally:
        store.close()
    assert ended is not None and ended.status is JobStatus.CANCELLED
    clip = out / "clips" / f"{first.child_key}.mp4"
    assert sorted(p.name for p in (out / "clips").iterdir()) == sorted(
        [clip.name, clip.with_suffix(".json").name]
    )
    assert clip.read_bytes() == CLIP
    assert json.loads(clip.with_suffix(".json").read_text())["model"] == MODEL
    said = " ".join((ended.error_message or "").split())
    assert "after 1 of 3 trial(s)" in said, said
    assert f"finished: {first.child_key}" in said and str(out / "clips") in said, said
    assert "no report was written" in said, said

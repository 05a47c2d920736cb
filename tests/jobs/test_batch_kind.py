"""Batch jobs on live workers: one child per item, the in-process files and summary, failures reported, restarts safe."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reelgen.core.batch import BatchSummary, Manifest
from reelgen.core.media import probe
from reelgen.jobs import kinds
from reelgen.jobs.kinds.batch import BatchKind, BatchPayload
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.records import JobStatus
from reelgen.jobs.service import JobService
from reelgen.jobs.store import JobStore
from tests.jobs.batch_cases import COUNTS, DEFAULTS, ITEMS, make_shots

FINISHED = {
    f"{name}{suffix}"
    for name in ("fox", "pan")
    for suffix in (".mp4", ".json", ".video_meta.json", ".motion.json")
}


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return make_shots(tmp_path / "shots")


def payload(shots: Path) -> BatchPayload:
    manifest = Manifest.model_validate({"defaults": DEFAULTS, "items": ITEMS})
    return BatchPayload(manifest=manifest, input_folder=str(shots), output_folder=str(shots / "outputs"))


def summary_of(result: dict[str, Any] | None) -> BatchSummary:
    assert result is not None
    return BatchSummary.model_validate(result["summary"])


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_file()}


def check_outputs(out: Path, result: dict[str, Any] | None) -> None:
    """The clips, records, companions and summary an in-process run leaves, and nothing of the failed."""
    assert files_in(out) == FINISHED | {"batch-summary.json"}
    assert result is not None and json.loads((out / "batch-summary.json").read_text()) == result["summary"]
    for name in ("fox", "pan"):
        info = probe(out / f"{name}.mp4")
        assert (info["frames"], info["width"], info["height"]) == (5, 32, 32)
    meta = json.loads((out / "fox.video_meta.json").read_text())
    crop = str(out / "motion-frames" / "fox.start.png")  # the planned input, not the worker's copy of it
    assert meta["generated"]["frames"] == 5 and meta["how"]["request"]["start_image"] == crop
    assert json.loads((out / "fox.json").read_text())["inputs"]["start_image"]["path"] == crop
    assert json.loads((out / "pan.motion.json").read_text())["how"] == "ken_burns"


def test_a_batch_job_completes_with_its_summary_when_items_fail(
    make_service: Callable[..., JobService], shots: Path
) -> None:
    service = make_service()
    parent = service.submit(payload(shots), kind="batch")
    children = service.children(parent.id)
    # One child per runnable item, grouped by model; the bad and the blurred ones get none.
    assert [(c.child_key, c.kind) for c in children] == [
        ("fox", "render"),
        ("black", "render"),
        ("pan", "ken_burns"),
    ]
    done = service.wait(parent.id, timeout_s=300)
    assert done.status is JobStatus.COMPLETED, done.error
    summary = summary_of(done.result)
    assert summary.counts() == COUNTS
    failed = {p.output: p for p in summary.failed}
    black_id = next(c.id for c in children if c.child_key == "black")
    assert failed["black"].code == "generation_failed" and "black frame" in failed["black"].reason
    assert black_id in failed["black"].reason
    assert (
        failed["outside"].code == "motion_out_of_bounds" and failed["outside"].param == "items[3].motion.end"
    )
    assert [p.output for p in summary.skipped] == ["blurred"] and "sharpness" in summary.skipped[0].reason
    out = shots / "outputs"
    assert summary.outputs == [str(out / "fox.mp4"), str(out / "pan.mp4")]
    check_outputs(out, done.result)

    # The same batch again: finished items are reused by content key, only the failed one runs again.
    again = service.wait(service.submit(payload(shots), kind="batch").id, timeout_s=300)
    assert [c.child_key for c in service.children(again.id)] == ["black"]
    resumed = summary_of(again.result)
    assert resumed.counts() == summary.counts() and resumed.reused == 2
    check_outputs(out, again.result)


def test_a_batch_whose_service_died_mid_way_makes_every_item_once(
    make_service: Callable[..., JobService], shots: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'jobs' / 'jobs.db'}"
    (tmp_path / "jobs").mkdir()
    crashed = JobStore(url)  # the API process that will die with the batch under way
    kind = kinds.parent("batch")
    batch = payload(shots)
    parent = crashed.create("batch", kind.dump(batch), kind.facts(batch), start_as=DRIVER)
    ParentDriver(crashed, cancel_job=crashed.cancel, wake=lambda: None).advance(parent.id)
    first = crashed.children(parent.id)
    orphan = crashed.claim_next("worker-of-the-dead-process", job_id=first[0].id, lease_s=0.01)
    assert orphan is not None
    crashed.close()
    # A dead process holds no lock on the output folder (the OS drops its flock) ...
    assert isinstance(kind, BatchKind)
    kind.release(parent.id)
    kinds.register(BatchKind())  # ... and a new process has nothing planned in memory

    service = make_service(database_url=url)
    done = service.wait(parent.id, timeout_s=300)
    assert done.status is JobStatus.COMPLETED, done.error
    children = service.children(parent.id)
    assert [c.id for c in children] == [c.id for c in first]  # none lost, none made twice
    assert [c.attempts for c in children] == [2, 1, 1]  # the orphan ran again
    assert summary_of(done.result).counts() == COUNTS
    check_outputs(shots / "outputs", done.result)
    assert service.parents.advance(parent.id) == service.get(parent.id)  # finished: nothing more
    assert len(service.children(parent.id)) == 3


def test_a_full_disk_writing_the_summary_fails_the_batch_as_output_unavailable(
    shots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary's writer says a full disk as WriteFailed, which the kind's `except OSError` let through."""
    import errno
    import os

    from reelgen.core.atomic import write_failed
    from reelgen.jobs.kinds import batch
    from reelgen.jobs.kinds.base import Fail
    from reelgen.jobs.records import Job

    def full(path: Path, data: dict[str, Any]) -> Path:
        raise write_failed(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)), path)

    monkeypatch.setattr(batch, "write_json_atomic", full)
    parent = Job(
        id="job_batch", status=JobStatus.IN_PROGRESS, model="", prompt="", payload={}, priority=0,
        created_at=1.0, updated_at=1.0,
    )  # fmt: skip
    step = BatchKind()._summary(parent, payload(shots), [], {})
    assert isinstance(step, Fail) and step.code == "output_unavailable"
    assert (
        step.message.startswith("no space left on the device writing ")
        and "batch-summary.json" in step.message
    )

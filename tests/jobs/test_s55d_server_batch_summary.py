"""A server batch checks its folder's batch-summary.json again as it starts, under the folder's lock, as an
in-process `reelgen batch` does: another batch's summary written there while it was queued is no longer
replaced without a word, and its own earlier summary is removed before items run, not left beside new clips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.core.batch import Manifest, run_batch
from reelgen.jobs import kinds
from reelgen.jobs.kinds.batch import BatchPayload
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.records import JobStatus
from reelgen.jobs.store import JobStore

#: An item that fails as it is planned (a camera path with no picture): no child job, no model.
ITEM = {"model": "ken-burns", "prompt": "x"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    jobs = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield jobs
    jobs.close()


def _manifest(path: Path, output: str, out: Path) -> Path:
    path.write_text(json.dumps({"defaults": {"output_dir": str(out)}, "items": [{"output": output, **ITEM}]}))
    return path


def _queued(store: JobStore, manifest: Path) -> tuple[ParentDriver, str]:
    """The batch of ``manifest`` as `reelgen batch --server` sends it, made and not yet started."""
    spec = Manifest.model_validate(json.loads(manifest.read_text()))
    payload = BatchPayload(
        manifest=spec,
        input_folder=str(manifest.parent),
        output_folder=spec.defaults.output_dir,
        name=manifest.name,
    )
    driver = ParentDriver(store, cancel_job=store.cancel, wake=lambda: None)
    kind = kinds.parent("batch")
    parent = store.create(kind.name, kind.dump(payload), kind.facts(payload), start_as=DRIVER)
    return driver, parent.id


def test_another_batchs_summary_written_while_it_was_queued_fails_it_and_is_kept(
    store: JobStore, tmp_path: Path
) -> None:
    out = tmp_path / "outputs"
    day = _manifest(tmp_path / "day.json", "a", out)
    driver, parent_id = _queued(store, day)  # accepted: the folder held no summary then
    night = _manifest(tmp_path / "night.json", "b", out)
    run_batch(night)  # another manifest run in process into the folder meanwhile
    theirs = (out / "batch-summary.json").read_text()
    done = driver.advance(parent_id)
    assert done is not None and done.status is JobStatus.FAILED, done
    assert done.error is not None
    assert done.error["message"].startswith(
        f"output_folder {out}: its batch-summary.json is another batch's, written by the manifest "
        f"{night.resolve()} (it lists b); this batch's summary would replace it"
    ), done.error
    assert (out / "batch-summary.json").read_text() == theirs


def test_its_own_earlier_summary_goes_as_it_starts_and_a_new_one_is_written(
    store: JobStore, tmp_path: Path
) -> None:
    out = tmp_path / "outputs"
    day = _manifest(tmp_path / "day.json", "a", out)
    run_batch(day)  # an earlier run of the same manifest, in process
    driver, parent_id = _queued(store, day)
    kind = kinds.parent("batch")
    job = store.get(parent_id)
    kind.plan(parent_id, kind.parse(job.payload))  # planned, as the first advance does
    assert not (out / "batch-summary.json").exists()  # not left beside clips it does not list
    done = driver.advance(parent_id)
    assert done is not None and done.status is JobStatus.COMPLETED, done and done.error
    assert json.loads((out / "batch-summary.json").read_text())["total"] == 1

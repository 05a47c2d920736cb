"""A server batch holds its output folder as an in-process `reelgen batch` does, and is refused one held."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.core.batch import Manifest
from reelgen.core.batch.lock import FolderBusy, folder_held
from reelgen.jobs import kinds
from reelgen.jobs.kinds.batch import BatchPayload
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.records import JobStatus
from reelgen.jobs.store import JobStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    jobs = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield jobs
    jobs.close()


def _start(store: JobStore, out: Path, tmp_path: Path) -> tuple[ParentDriver, str]:
    manifest = Manifest.model_validate(
        {
            "defaults": {"model": "wan-tiny"},
            "items": [{"output": "fox", "prompt": "a fox"}],
        }
    )
    payload = BatchPayload(
        manifest=manifest, input_folder=str(tmp_path), output_folder=str(out), name="b.yaml"
    )
    driver = ParentDriver(store, cancel_job=store.cancel, wake=lambda: None)
    kind = kinds.parent("batch")
    parent = store.create(kind.name, kind.dump(payload), kind.facts(payload), start_as=DRIVER)
    return driver, parent.id


def test_a_server_batch_into_a_folder_an_in_process_run_writes_fails_folder_in_use(
    store: JobStore, tmp_path: Path
) -> None:
    out = tmp_path / "outputs"
    with folder_held(out, "/data/night.yaml"):
        driver, parent_id = _start(store, out, tmp_path)
        done = driver.advance(parent_id)
    assert done is not None and done.status is JobStatus.FAILED, done
    assert done.error is not None and done.error["code"] == "folder_in_use"
    message = done.error["message"]
    assert message.startswith(
        f"output_folder {out}: another batch is writing its clips and summary there now"
    )
    assert "/data/night.yaml, process " in message and "or set another output_folder" in message
    assert store.children(parent_id) == []  # refused before planning: no item job made
    assert not (out / "fox.mp4").exists()


def test_an_in_process_run_is_refused_while_a_server_batch_runs_and_free_once_it_ends(
    store: JobStore, tmp_path: Path
) -> None:
    out = tmp_path / "outputs"
    driver, parent_id = _start(store, out, tmp_path)
    driver.advance(parent_id)
    (child,) = store.children(parent_id)
    with pytest.raises(FolderBusy) as refused, folder_held(out, "/data/night.yaml"):
        pass
    assert f"(server batch b.yaml, job {parent_id}, process " in refused.value.message
    # Its item failed: the batch ends (with its summary), and the folder is free again.
    started = store.claim_next("worker-test", job_id=child.id)
    assert started is not None
    store.fail(child.id, started.token, "generation_failed", "the model made a broken clip")
    done = driver.advance(parent_id)
    assert done is not None and done.status is JobStatus.COMPLETED, done and done.error
    with folder_held(out, "/data/night.yaml"):
        pass


def test_a_cancelled_server_batch_frees_its_folder(store: JobStore, tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    driver, parent_id = _start(store, out, tmp_path)
    driver.advance(parent_id)
    done = driver.cancel(store.cancel(parent_id))
    assert done is not None and done.status is JobStatus.CANCELLED, done
    with folder_held(out, "/data/night.yaml"):
        pass

"""A run whose job was deleted while it ran leaves nothing of it in outputs/ when its result comes in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.engine import WorkerSlot
from reelgen.jobs.events import RunResult
from reelgen.jobs.outcome import Outcome
from reelgen.jobs.records import JobNotFound, StaleToken
from reelgen.jobs.run import Run
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


class _Passes:
    """A job kind whose output check accepts anything (the check is not what is tested)."""

    def check(self, job: Any, paths: dict[str, Path], event: RunResult) -> dict[str, Any]:
        return {}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield store
    store.close()


def _running(store: JobStore, tmp_path: Path) -> tuple[Outcome, Run]:
    job = create(store, request())
    claimed = store.claim_next("w", job_id=job.id)
    assert claimed is not None
    artifacts = Artifacts(tmp_path / "data")
    outcome = Outcome(store, artifacts, JobSettings(data_dir=tmp_path / "data"))
    run = Run(job=claimed, slot=WorkerSlot("w", None, 1), kind=_Passes(), payload=None)  # type: ignore[arg-type]
    return outcome, run


def test_a_job_deleted_while_it_ran_leaves_no_empty_outputs_folder(store: JobStore, tmp_path: Path) -> None:
    outcome, run = _running(store, tmp_path)
    store.delete(run.job.id, force=True)  # as JobService.delete does once the cancel is sent
    outcome.artifacts.delete(run.job.id)
    outcome.finish(run, RunResult(files={"video": b"not checked here"}))
    assert not outcome.artifacts.job_dir(run.job.id).exists()  # it was left behind, empty
    with pytest.raises(JobNotFound):
        store.get(run.job.id)


def test_a_superseded_attempt_removes_only_its_own_folder(store: JobStore, tmp_path: Path) -> None:
    outcome, run = _running(store, tmp_path)
    kept = outcome.artifacts.save(run.job.id, run.job.token + 1, {"video": b"the attempt that counts"})
    outcome.store.complete = _stale  # type: ignore[method-assign]
    outcome.finish(run, RunResult(files={"video": b"a late result"}))
    assert Path(kept["video"]).read_bytes() == b"the attempt that counts"
    assert not (outcome.artifacts.job_dir(run.job.id) / str(run.job.token)).exists()


def _stale(*args: Any, **kwargs: Any) -> Any:
    raise StaleToken("superseded")

"""A full or read-only data folder fails the job whose outputs it cannot take, in words, keeping nothing half-written."""

from __future__ import annotations

import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelgen.api.errors import from_reelgen
from reelgen.jobs import artifacts as artifacts_module
from reelgen.jobs._unsaved import NotSaved
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.engine import WorkerSlot
from reelgen.jobs.events import RunResult
from reelgen.jobs.outcome import Outcome
from reelgen.jobs.records import JobStatus
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


def _running(store: JobStore, outcome: Outcome) -> Run:
    job = create(store, request())
    claimed = store.claim_next("w", job_id=job.id)
    assert claimed is not None
    return Run(job=claimed, slot=WorkerSlot("w", None, 1), kind=_Passes(), payload=None)  # type: ignore[arg-type]


def _full(*args: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _everything(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def test_a_disk_full_while_saving_fails_the_job_in_words_and_the_next_job_saves(
    store: JobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The OSError went out raw: a traceback in the log, the job left to its lease and rendered again,
    then failed "the job service running it stopped (its lease ran out)"."""
    data = tmp_path / "data"
    outcome = Outcome(store, Artifacts(data), JobSettings(data_dir=data))
    run = _running(store, outcome)
    monkeypatch.setattr(artifacts_module.os, "fsync", _full)  # the disk says it is full as the bytes go down
    with caplog.at_level(logging.ERROR, logger="reelgen.jobs.outcome"):
        outcome.finish(run, RunResult(files={"video": b"\0" * 64, "metadata": b"{}"}))

    job = store.get(run.job.id)
    assert job.status is JobStatus.FAILED and job.attempts == 1
    assert job.error is not None and job.error["code"] == "write_failed"
    assert job.error["message"] == (
        "no space left on the server's disk, so the video could not be saved; nothing was kept: "
        "free some space there and make the job again"
    )
    assert str(data) not in job.error["message"]  # the client is not told the server's paths ...
    assert (
        f"{run.job.id}: no space left on {data / 'outputs'} saving the video" in caplog.text
    )  # ... its log is
    assert _everything(data / "outputs") == []  # no partial folder, not even an empty job folder

    monkeypatch.undo()  # space is back: the next job saves and completes
    second = _running(store, outcome)
    outcome.finish(second, RunResult(files={"video": b"a video"}))
    done = store.get(second.job.id)
    assert done.status is JobStatus.COMPLETED
    assert outcome.artifacts.path(done) is not None


def test_a_read_only_data_folder_is_said_as_such(
    store: JobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    outcome = Outcome(store, Artifacts(data), JobSettings(data_dir=data))
    run = _running(store, outcome)

    def read_only(*args: Any, dir: str, **kwargs: Any) -> str:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), dir)

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    outcome.finish(run, RunResult(files={"video": b"a video"}))
    job = store.get(run.job.id)
    assert job.status is JobStatus.FAILED and job.error is not None
    assert job.error["message"] == (
        "the server's data folder is read-only now, so the video could not be saved; nothing was kept: "
        "make the data folder writable again and make the job again"
    )


def test_an_upload_the_disk_cannot_take_is_refused_507_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """It answered 500 "internal error (OSError)" and left inputs/.<id>-fox.png.partial behind."""
    artifacts = Artifacts(tmp_path / "data")
    artifacts.inputs.mkdir(parents=True)

    def full(self: Path, data: bytes) -> int:
        with self.open("wb") as fh:  # the file is made, then the disk runs out
            fh.write(data[:1])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", full)
    with caplog.at_level(logging.ERROR, logger="reelgen.jobs.artifacts"), pytest.raises(NotSaved) as caught:
        artifacts.save_input(b"\x89PNG" * 100, ".png", "fox.png")
    assert caught.value.disk_full
    assert _everything(artifacts.inputs) == []
    answer = from_reelgen(caught.value)
    assert answer.status == 507
    assert f"no space left on {artifacts.inputs} keeping an upload of 400 bytes" in caplog.text

"""A worker that cannot make a job's work folder (a full or read-only data folder) fails that job in words and lives on."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from reelgen.jobs import kinds
from reelgen.jobs.events import RunError, RunResult
from reelgen.jobs.worker import VideoWorker
from tests.jobs.fakes import resolved

JOB = "video_" + "2" * 32


def test_a_work_folder_the_disk_refuses_fails_the_job_and_the_next_job_runs(
    worker: VideoWorker, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The OSError ended the worker process: after two restarts the job failed "worker-0 exited with
    code 1; gave up after 2 of 2 attempts", with a traceback in the server's log each time."""
    payload = kinds.worker(kinds.RENDER).dump(resolved())
    made = tempfile.mkdtemp

    def read_only(*args: Any, dir: Any = None, **kwargs: Any) -> str:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(Path(dir) / "x"))

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    events = list(worker.run(JOB, kinds.RENDER, payload, {}))
    assert events == [
        RunError(
            "write_failed",
            "the server's data folder is read-only now, so the job had no folder to work in and was not run: "
            "make the data folder writable again and make the job again",
        )
    ]
    said = capsys.readouterr().err
    assert f"worker-test: {JOB}: cannot make {worker.scratch / 'x'} (Read-only file system)" in said

    monkeypatch.setattr(tempfile, "mkdtemp", made)  # writable again: the same worker runs the next job
    assert isinstance(list(worker.run(JOB, kinds.RENDER, payload, {}))[-1], RunResult)

"""The local engine: worker processes that die are seen at once, restarted, and leave nothing behind."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from reelgen.core.spec.request import ResolvedRequest
from reelgen.jobs import local
from reelgen.jobs.local import visible_gpus
from reelgen.jobs.records import JobStatus
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from tests.jobs import shared_service
from tests.jobs.fakes import resolved
from tests.jobs.helpers import wait_for

# One service for the tests that need no settings or database of their own (tests/jobs/shared_service.py).
module_family = shared_service.module_family
jobtest_family = shared_service.jobtest_family
shared = shared_service.shared


def slow(seconds_per_step: float, steps: int = 40) -> ResolvedRequest:
    return resolved(steps=steps, options={"step_delay": seconds_per_step})


def worker_pid(service: JobService) -> int:
    slot = service.engine.snapshot()[0]
    assert service.engine.refresh(slot)
    return int(slot.info["pid"])


def test_the_service_outlives_the_thread_that_started_it(make_service: Callable[..., JobService]) -> None:
    # A web server starts its app on a worker thread that it later prunes; the engine must not care.
    made: list[JobService] = []
    starter = threading.Thread(target=lambda: made.append(make_service()))
    starter.start()
    starter.join()
    service = made[0]
    wait_for(lambda: service.health() is None, what="the engine to be ready")
    done = service.wait(service.submit(resolved(prompt="after the thread ended")).id, timeout_s=180)
    assert done.status is JobStatus.COMPLETED, done.error


def test_a_killed_worker_is_reported_within_seconds_and_started_again(shared: JobService) -> None:
    service = shared
    wait_for(lambda: service.health() is None, what="the engine to be ready")
    first = worker_pid(service)
    os.kill(first, signal.SIGKILL)
    reason = wait_for(service.health, timeout_s=10, what="the death to be reported")
    assert "worker-0 exited with signal 9" in reason
    assert service.refusing() is None  # one worker restarting: jobs are still taken, they wait
    wait_for(lambda: service.health() is None, timeout_s=120, what="the worker to come back")
    assert worker_pid(service) != first
    done = service.wait(service.submit(resolved()).id, timeout_s=180)
    assert done.status is JobStatus.COMPLETED


def test_a_worker_killed_mid_job_leaves_no_scratch_folder(shared: JobService) -> None:
    service = shared
    assert service.settings.max_attempts == 2
    # 15 steps of 0.2 s: nearly 3 s to land the kill after step 1, and a second attempt of 3 s, not 8.
    job = service.submit(slow(0.2, steps=15))
    wait_for(lambda: (service.get(job.id).step or 0) >= 1, what="the job to be under way")
    os.kill(worker_pid(service), signal.SIGKILL)
    done = service.wait(job.id, timeout_s=240)
    assert done.status is JobStatus.COMPLETED and done.attempts == 2
    temp = Path(tempfile.gettempdir())
    left = [
        *service.settings.data_dir.rglob(f"*{job.id}*"),
        *temp.glob(f"*{job.id}*"),
        *temp.glob(f"reelgen-scratch/*/*{job.id}*"),
    ]
    assert [p for p in left if p.is_dir() and "outputs" not in p.parts] == []


def test_gpus_are_counted_without_torch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(local, "no_gpu_driver", lambda: False)  # a GPU machine, wherever this runs
    settings = JobSettings(data_dir=tmp_path)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1,3")
    assert visible_gpus(settings) == ["0", "1", "3"]  # each worker gets one of these
    assert visible_gpus(JobSettings(data_dir=tmp_path, gpus=2)) == ["0", "1"]
    assert visible_gpus(JobSettings(data_dir=tmp_path, gpus=0)) == []
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert visible_gpus(settings) == []
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "2,-1,3")
    assert visible_gpus(settings) == ["2"]

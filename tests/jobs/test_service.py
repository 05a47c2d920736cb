"""The job service on a real local Ray: jobs run to an MP4, in priority order, survive dead workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import av
import pytest
from PIL import Image

from reelgen.core.spec import resolve
from reelgen.core.spec.request import GenerationRequest, ResolvedRequest
from reelgen.jobs import kinds, owners
from reelgen.jobs.records import Job, JobNotFound, JobStatus
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs import shared_service
from tests.jobs.fakes import resolved
from tests.jobs.helpers import create, request, wait_for

# One service for the tests that need no settings or database of their own (tests/jobs/shared_service.py).
module_family = shared_service.module_family
jobtest_family = shared_service.jobtest_family
shared = shared_service.shared


def slow(seconds_per_step: float, steps: int = 40, **kwargs: object) -> ResolvedRequest:
    return resolved(steps=steps, options={"step_delay": seconds_per_step}, **kwargs)


def running_step(service: JobService, job_id: str, at_least: int = 1, attempt: int = 1) -> Job | None:
    job = service.get(job_id)
    ok = job.status is JobStatus.IN_PROGRESS and job.attempts == attempt and (job.step or 0) >= at_least
    return job if ok else None


def worker_pid(service: JobService) -> int:
    slot = service.engine.snapshot()[0]
    assert service.engine.refresh(slot)
    return int(slot.info["pid"])


def test_a_job_runs_to_a_checked_mp4_with_thumbnail_events_and_metrics(shared: JobService) -> None:
    service = shared
    request = resolved(prompt="a red fox", seed=5)
    job = service.submit(request)
    assert job.status is JobStatus.QUEUED and job.seed == 5 and job.num_frames == 5
    assert kinds.payload_of(job) == request  # stored as resolved, never resolved again
    with pytest.raises(TypeError, match="resolve it first"):
        service.submit(GenerationRequest(model="jobtest-tiny"))
    done = service.wait(job.id, timeout_s=240)
    assert done.status is JobStatus.COMPLETED, done.error
    video = service.content(job.id)
    assert video is not None and video.parent.parent == service.artifacts.outputs / job.id
    with av.open(str(video)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 5 and frames[0].shape == (32, 32, 3)
    thumb = service.content(job.id, "thumbnail")
    assert thumb is not None and Image.open(thumb).size == (32, 32)
    assert done.result is not None and done.result["frames"] == 5
    assert done.result["metadata"]["request"]["seed"] == 5
    assert done.metrics["run_s"] > 0 and done.metrics["queue_s"] >= 0 and done.metrics["cost"] == 0
    types = [e.type for e in service.events(job.id)]
    assert types[:2] == ["queued", "started"] and types[-1] == "completed"
    steps = [e.data for e in service.events(job.id) if e.type == "progress" and e.data["total"]]
    assert [d["step"] for d in steps if d["stage"] == "denoise"] == [0, 1, 2, 3]
    assert any("preview" in d for d in steps)


def test_jobs_start_in_priority_order_on_a_busy_worker(shared: JobService) -> None:
    service = shared
    blocker = service.submit(slow(0.1, steps=15))
    wait_for(lambda: running_step(service, blocker.id), what="the first job to run")
    low = service.submit(resolved(prompt="low"), priority=0)
    high = service.submit(resolved(prompt="high"), priority=9)
    mid = service.submit(resolved(prompt="mid"), priority=3)
    assert [service.queue_position(j.id) for j in (high, mid, low)] == [0, 1, 2]
    finished = [service.wait(j.id, timeout_s=240) for j in (low, high, mid)]
    assert all(j.status is JobStatus.COMPLETED for j in finished)
    by_start = sorted(finished, key=lambda j: j.started_at or 0)
    assert [j.prompt for j in by_start] == ["high", "mid", "low"]


def test_cancel_queued_at_once_and_running_within_a_step_then_next_job_runs(shared: JobService) -> None:
    service = shared
    running = service.submit(slow(0.3))
    waiting = service.submit(resolved(prompt="never runs"))
    at_cancel = wait_for(lambda: running_step(service, running.id, at_least=2), what="steps")
    assert service.cancel(waiting.id).status is JobStatus.CANCELLED
    assert service.cancel(running.id).cancel_requested
    stopped = service.wait(running.id, timeout_s=60)
    assert stopped.status is JobStatus.CANCELLED and stopped.error_code == "cancelled"
    last_step = max(e.data["step"] for e in service.events(running.id) if e.type == "progress")
    # Stopped within a few 0.3 s steps, not at the end (40): on a loaded 2-core machine the cancel
    # took three steps to reach the worker once, so the bound allows four.
    assert last_step <= (at_cancel.step or 0) + 4 < 40
    assert service.content(running.id) is None
    after = service.wait(service.submit(resolved(prompt="next")).id, 120)
    assert after.status is JobStatus.COMPLETED
    assert service.get(waiting.id).started_at is None


def test_a_running_job_deleted_goes_before_its_worker_is_stopped_and_the_worker_is_freed(
    shared: JobService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped first, a worker that stopped at once wrote its "cancelled" before the record went, and a
    client following the job's events was told it was cancelled, not deleted (``reelgen watch`` too)."""
    service = shared
    running = service.submit(slow(0.5))
    wait_for(lambda: running_step(service, running.id), what="the job to run")
    found_at_cancel: list[str] = []
    cancel = service.dispatcher.cancel

    def looking_first(job_id: str) -> bool:
        try:
            found_at_cancel.append(service.get(job_id).status.value)
        except JobNotFound:
            found_at_cancel.append("gone")
        return cancel(job_id)

    monkeypatch.setattr(service.dispatcher, "cancel", looking_first)
    deleted_at = time.time()
    service.delete(running.id)
    assert found_at_cancel == ["gone"]
    # The worker stopped (its 40 steps of 0.5 s would hold it 20 s): the next job starts well before.
    after = service.wait(service.submit(resolved(prompt="next")).id, 120)
    assert after.status is JobStatus.COMPLETED and (after.started_at or 0) - deleted_at < 12


def test_a_killed_worker_requeues_the_job_once_then_fails_it_worker_lost(shared: JobService) -> None:
    service = shared  # max_attempts=2
    assert service.settings.max_attempts == 2
    job = service.submit(slow(0.3))
    for attempt in (1, 2):
        wait_for(partial(running_step, service, job.id, attempt=attempt), 180, f"attempt {attempt}")
        os.kill(worker_pid(service), signal.SIGKILL)
    failed = service.wait(job.id, timeout_s=120)
    assert failed.status is JobStatus.FAILED and failed.attempts == 2
    assert failed.error_code == "worker_lost" and "gave up after 2 of 2" in (failed.error_message or "")
    assert [e.type for e in service.events(job.id) if e.type != "progress"] == [
        "queued",
        "started",
        "queued",
        "started",
        "failed",
    ]
    # Ray restarted the worker: it serves the next job.
    after = service.wait(service.submit(resolved()).id, timeout_s=180)
    assert after.status is JobStatus.COMPLETED


def test_watchdog_kills_a_stalled_worker_and_the_runtime_limit_fails_a_job(
    make_service: Callable[..., JobService],
) -> None:
    service = make_service(heartbeat_timeout_s=3.0, max_attempts=1)
    stalled = service.wait(service.submit(slow(8.0, steps=2)).id, timeout_s=180)
    assert stalled.status is JobStatus.FAILED and stalled.error_code == "worker_lost"
    assert "no progress for 3 s" in (stalled.error_message or "")
    service.stop()
    service = make_service(max_runtime_s=3.0)
    over = service.wait(service.submit(slow(0.5, steps=40)).id, timeout_s=180)
    assert over.status is JobStatus.FAILED and over.error_code == "timeout"


def test_a_worker_that_ignores_a_cancel_is_killed_after_the_grace_period(
    make_service: Callable[..., JobService],
) -> None:
    service = make_service(cancel_grace_s=1.0)
    job = service.submit(slow(6.0, steps=3))  # one step outlasts the grace period
    wait_for(lambda: service.get(job.id).stage == "denoise", what="the job to be inside a step")
    service.cancel(job.id)
    stopped = service.wait(job.id, timeout_s=60)
    assert stopped.status is JobStatus.CANCELLED
    assert "did not stop within 1 s and was restarted" in (stopped.error_message or "")
    after = service.wait(service.submit(resolved()).id, timeout_s=180)
    assert after.status is JobStatus.COMPLETED


def test_a_video_of_black_frames_fails_instead_of_completing(shared: JobService) -> None:
    service = shared
    failed = service.wait(service.submit(resolved(options={"black": True})).id, timeout_s=180)
    assert failed.status is JobStatus.FAILED and failed.error_code == "generation_failed"
    assert "black frame" in (failed.error_message or "")
    assert service.content(failed.id) is None


def test_a_restarted_service_runs_what_the_last_one_left(
    make_service: Callable[..., JobService], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'jobs' / 'jobs.db'}"
    (tmp_path / "jobs").mkdir()
    crashed = JobStore(url)  # what a killed API process leaves behind
    queued = create(crashed, request("waiting"))
    orphan = create(crashed, request("was running", seed=2))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    owner = f"{owners.machine()}/{int(dead.stdout)}/gone"  # a process of this machine that has exited
    assert crashed.claim_next("worker-0", job_id=orphan.id, owner=owner) is not None
    crashed.close()
    service = make_service(database_url=url)
    done = [service.wait(j.id, timeout_s=240) for j in (queued, orphan)]
    assert [j.status for j in done] == [JobStatus.COMPLETED, JobStatus.COMPLETED]
    assert [j.attempts for j in done] == [1, 2]

    # 10 steps of 0.3 s: nearly 3 s to stop the service after step 1; run again whole, 3 s, not 12.
    interrupted = service.submit(slow(0.3, steps=10))
    wait_for(lambda: running_step(service, interrupted.id), what="a running job")
    service.stop()  # an orderly stop hands the running job back without using up an attempt
    reader = JobStore(url)
    assert reader.get(interrupted.id).status is JobStatus.QUEUED
    reader.close()
    again = make_service(database_url=url)
    finished = again.wait(interrupted.id, timeout_s=240)
    assert finished.status is JobStatus.COMPLETED and finished.attempts == 1


def test_input_images_travel_to_the_worker_as_bytes(shared: JobService, tmp_path: Path) -> None:
    service = shared
    image = tmp_path / "green.png"
    Image.new("RGB", (48, 48), (20, 200, 40)).save(image)
    job = service.submit(resolved(start_image=str(image)))
    done = service.wait(job.id, timeout_s=180)
    assert done.status is JobStatus.COMPLETED, done.error
    with av.open(str(service.content(job.id))) as container:
        first = next(container.decode(video=0)).to_ndarray(format="rgb24")
    red, green, blue = first.reshape(-1, 3).mean(axis=0)
    assert green > 120 and red < 80 and blue < 80


def test_a_real_tiny_model_stays_loaded_between_jobs_until_freed(shared: JobService) -> None:
    service = shared
    service.free()  # the jobtest model of the module's earlier jobs: the worker starts out holding none
    first, second = (
        service.wait(service.submit(resolve(GenerationRequest(model="wan-tiny", prompt=p, seed=3))).id, 300)
        for p in ("a fox", "a fox in snow")
    )
    assert first.status is JobStatus.COMPLETED and second.status is JobStatus.COMPLETED, second.error
    assert first.result is not None and second.result is not None
    assert (second.result["frames"], second.result["width"]) == (9, 64)
    assert first.result["timings"]["load"] > 0 and second.result["timings"]["load"] == 0
    info = service.system()
    assert len(info["workers"]) == 1 and info["gpus"] == 0
    assert info["vram_total_gib"] is None and info["vram_free_gib"] is None  # no card, not a full one
    assert info["workers"][0]["device"] == "cpu" and info["loaded_models"] == ["wan-tiny"]
    assert info["queue"] == {"queued": 0, "in_progress": 0}
    assert service.free() == {"worker-0": ["wan-tiny"]}
    assert service.system()["loaded_models"] == []


def test_after_a_job_the_workers_say_they_hold_its_model(shared: JobService) -> None:
    """What placement and GET /health ("warm") read: no ``system()`` call refreshes it after the job."""
    service = shared
    service.free()  # unloads what the module's earlier jobs left, and reads the worker's state once
    assert not service.workers()[0].get("loaded_models")
    done = service.wait(service.submit(resolved(prompt="a fox", seed=1)).id, timeout_s=240)
    assert done.status is JobStatus.COMPLETED, done.error
    wait_for(
        lambda: service.workers()[0].get("loaded_models") == ["jobtest-tiny"],
        timeout_s=15,
        what="the worker's loaded models to be read after its job",
    )


def test_the_next_job_runs_while_the_last_output_is_checked(
    shared: JobService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker is free once its result is in: checking that MP4 in the API process does not hold
    the queue (one worker; the first job's check is held until the second job has started)."""
    import threading

    render_kind = type(kinds.worker(kinds.RENDER))
    checking, release = threading.Event(), threading.Event()
    plain_check = render_kind.check

    def held_check(self: object, job: Job, files: dict[str, Path], result: object) -> object:
        if job.id == first.id:
            checking.set()
            release.wait(120)
        return plain_check(self, job, files, result)  # type: ignore[arg-type]

    monkeypatch.setattr(render_kind, "check", held_check)
    service = shared
    first = service.submit(resolved(prompt="first", seed=1))
    second = service.submit(slow(0.2, steps=10, prompt="second", seed=2))
    try:
        assert checking.wait(240), "the first job's output was never checked"
        wait_for(lambda: running_step(service, second.id), timeout_s=60, what="the second job to run")
        assert service.get(first.id).status is JobStatus.IN_PROGRESS  # still being checked
    finally:
        release.set()
    assert service.wait(first.id, timeout_s=240).status is JobStatus.COMPLETED
    assert service.wait(second.id, timeout_s=240).status is JobStatus.COMPLETED


def test_the_data_folder_it_makes_is_closed_to_other_accounts(tmp_path: Path) -> None:
    """Other users of the machine could read every prompt, upload, video and the job database."""
    service = JobService(JobSettings(engine="local", data_dir=tmp_path / "made" / "jobs"))
    service.store.close()
    assert (tmp_path / "made" / "jobs").stat().st_mode & 0o077 == 0
    assert (tmp_path / "made" / "jobs" / "jobs.db").is_file()

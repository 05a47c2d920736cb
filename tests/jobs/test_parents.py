"""Parent jobs on a real local Ray: a fan-out of render children completes, fails, cancels and survives a crash."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest

from reelgen.jobs import kinds
from reelgen.jobs.parents import DRIVER, ParentDriver
from reelgen.jobs.records import InvalidTransition, Job, JobNotFound, JobStatus
from reelgen.jobs.service import JobService
from reelgen.jobs.store import JobStore
from tests.jobs import shared_service
from tests.jobs.fakes import FanOut, FanOutPayload
from tests.jobs.helpers import wait_for

# One service for the tests that need no settings or database of their own (tests/jobs/shared_service.py).
module_family = shared_service.module_family
jobtest_family = shared_service.jobtest_family
shared = shared_service.shared


def running_child(service: JobService, parent: Job) -> Job | None:
    running = [
        c for c in service.children(parent.id) if c.status is JobStatus.IN_PROGRESS and (c.step or 0) >= 1
    ]
    return running[0] if running else None


def test_a_parent_fans_out_render_children_and_completes_with_their_ids(shared: JobService) -> None:
    service = shared
    parent = service.submit(FanOutPayload(count=3, prompt="a fox"), kind="fanout", priority=4)
    assert parent.kind == "fanout" and parent.status is JobStatus.IN_PROGRESS
    children = service.children(parent.id)
    assert [(c.child_key, c.kind, c.priority) for c in children] == [
        ("clip-0", "render", 4),
        ("clip-1", "render", 4),
        ("clip-2", "render", 4),
    ]
    done = service.wait(parent.id, timeout_s=240)
    assert done.status is JobStatus.COMPLETED, done.error
    children = service.children(parent.id)
    assert done.result == {"children": {c.child_key: c.id for c in children}}
    assert all(c.status is JobStatus.COMPLETED and service.content(c.id) is not None for c in children)
    assert [kinds.payload_of(c).prompt for c in children] == ["a fox #0", "a fox #1", "a fox #2"]  # type: ignore[attr-defined]
    assert done.metrics["children"] == 3
    assert [e.type for e in service.events(parent.id)] == ["queued", "started", "completed"]
    gc.collect()
    assert parent.id not in service.parents._locks  # kept for good once it ended, one per parent ever run


def test_a_parent_fails_naming_the_children_that_failed_and_why(shared: JobService) -> None:
    service = shared
    parent = service.submit(FanOutPayload(count=3, black=[1]), kind="fanout")
    failed = service.wait(parent.id, timeout_s=240)
    assert failed.status is JobStatus.FAILED and failed.error_code == "children_failed"
    bad = next(c for c in service.children(parent.id) if c.child_key == "clip-1")
    message = failed.error_message or ""
    assert message.startswith("1 of 3 children did not complete: clip-1")
    assert bad.id in message and "generation_failed" in message and "black frame" in message
    assert "clip-0" not in message and "clip-2" not in message


def test_cancelling_a_parent_cancels_its_running_and_queued_children(shared: JobService) -> None:
    service = shared
    parent = service.submit(FanOutPayload(count=3, steps=40, step_delay=0.3), kind="fanout")
    running = wait_for(lambda: running_child(service, parent), what="a child to run")
    with pytest.raises(InvalidTransition, match="still running"):
        service.delete(running.id)  # its parent would only make it again
    cancelled = service.cancel(parent.id)
    assert cancelled.status is JobStatus.CANCELLED and cancelled.error_code == "cancelled"
    stopped = service.wait(running.id, timeout_s=60)
    assert stopped.status is JobStatus.CANCELLED
    others = [c for c in service.children(parent.id) if c.id != running.id]
    assert [(c.status, c.started_at) for c in others] == [(JobStatus.CANCELLED, None)] * 2
    service.delete(parent.id)  # a finished parent goes with its children
    for job in (parent, running, *others):
        with pytest.raises(JobNotFound):
            service.get(job.id)


def test_a_fan_out_killed_in_the_middle_ends_with_exactly_its_children(
    make_service: Callable[..., JobService], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'jobs' / 'jobs.db'}"
    (tmp_path / "jobs").mkdir()
    crashed = JobStore(url)  # the API process that will die mid fan-out
    fanout = FanOut()
    payload = FanOutPayload(count=4, one_at_a_time=True)
    parent = crashed.create("fanout", fanout.dump(payload), fanout.facts(payload), start_as=DRIVER)
    real = crashed.create_children
    made: list[Job] = []

    def dies_after_two(*args: object, **kwargs: object) -> list[Job]:
        if len(made) == 2:
            raise KeyboardInterrupt("the process was killed")
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        made.extend(out)
        return out

    monkeypatch.setattr(crashed, "create_children", dies_after_two)
    driver = ParentDriver(crashed, cancel_job=crashed.cancel, wake=lambda: None)
    with pytest.raises(KeyboardInterrupt):
        driver.advance(parent.id)
    assert [c.child_key for c in crashed.children(parent.id)] == ["clip-0", "clip-1"]
    orphan = crashed.claim_next("worker-of-the-dead-process", job_id=made[0].id, lease_s=0.01)
    assert orphan is not None
    crashed.close()

    service = make_service(database_url=url)  # a new process on the same database
    done = service.wait(parent.id, timeout_s=300)
    assert done.status is JobStatus.COMPLETED, done.error
    children = service.children(parent.id)
    assert [c.child_key for c in children] == ["clip-0", "clip-1", "clip-2", "clip-3"]
    assert all(c.status is JobStatus.COMPLETED for c in children)
    assert [c.attempts for c in children] == [2, 1, 1, 1]  # the orphan ran again, nothing twice
    assert done.result == {"children": {c.child_key: c.id for c in children}}
    assert service.parents.advance(parent.id) == service.get(parent.id)  # finished: nothing more
    assert len(service.children(parent.id)) == 4

"""A cancelled job whose worker a limit stops before it honours the cancel ends cancelled, once."""

from __future__ import annotations

from collections.abc import Callable

from reelgen.jobs.records import JobStatus
from reelgen.jobs.service import JobService
from tests.jobs.fakes import resolved
from tests.jobs.helpers import wait_for


def test_a_cancel_overtaken_by_the_run_limit_still_ends_the_job_cancelled(
    make_service: Callable[..., JobService],
) -> None:
    """The cancel waits for a step's end; the run limit reached first failed the job `timeout`
    (and the stall limit, a worker hung, put it back in the queue to run again)."""
    service = make_service()
    warm = service.submit(resolved(steps=1))  # the worker's start is not this test's subject
    assert service.wait(warm.id, timeout_s=120).status is JobStatus.COMPLETED
    service.settings.max_runtime_s = 1.5  # a 4 s step outruns it
    job = service.submit(resolved(steps=2, options={"step_delay": 4.0}))
    wait_for(
        lambda: service.get(job.id).status is JobStatus.IN_PROGRESS, timeout_s=60, what="the job running"
    )
    service.cancel(job.id)
    ended = service.wait(job.id, timeout_s=60)
    assert (ended.status, ended.attempts) == (JobStatus.CANCELLED, 1), ended.error_message
    assert ended.error_message is not None and "cancelled" in ended.error_message

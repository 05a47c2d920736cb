"""A running job's lease is REELGEN_LEASE_S long, so another server takes it up that soon after its
server dies, not a heartbeat timeout (10 minutes) later."""

from __future__ import annotations

import time
from collections.abc import Callable

from reelgen.jobs.records import JobStatus
from reelgen.jobs.service import JobService
from tests.jobs.fakes import resolved
from tests.jobs.helpers import wait_for


def test_progress_keeps_a_running_job_leased_for_lease_s_only(
    make_service: Callable[..., JobService],
) -> None:
    """Each progress event set the lease to heartbeat_timeout_s: a job of a server killed on another
    machine (or in another container) waited that long, 600 s by default, instead of the 20 s the
    docs promise, before any other server on the database ran it again."""
    service = make_service(lease_s=4.0, heartbeat_timeout_s=60.0)
    job = service.submit(resolved(steps=10, options={"step_delay": 0.2}))

    def stepping() -> bool:
        seen = service.get(job.id)
        return seen.status is JobStatus.IN_PROGRESS and (seen.step or 0) >= 1

    wait_for(stepping, timeout_s=60, what="the job past its first step")
    running = service.get(job.id)
    assert running.lease_until is not None
    assert running.lease_until - time.time() <= 4.0 + 0.5
    service.cancel(job.id)

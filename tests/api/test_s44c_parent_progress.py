"""A cancelled batch or shoot-out's progress is the share of its items that ran to an end, not of those cancelled with it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from reelgen.api.fanout import progress
from reelgen.jobs.records import Job, JobStatus


def _jobs(*statuses: JobStatus) -> list[Job]:
    return [cast(Job, SimpleNamespace(status=s, terminal=s.terminal, metrics={})) for s in statuses]


def test_a_parent_cancelled_before_anything_ran_is_at_0_not_99() -> None:
    [cancelled] = _jobs(JobStatus.CANCELLED)
    assert progress(cancelled, _jobs(JobStatus.CANCELLED), total=4) == 0
    assert (
        progress(cancelled, _jobs(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED), total=4) == 50
    )
    [running] = _jobs(JobStatus.IN_PROGRESS)  # a running one still counts an item cancelled alone as ended
    assert progress(running, _jobs(JobStatus.COMPLETED, JobStatus.CANCELLED), total=2) == 99

"""docs/batches-api.md shows and explains every ``request_counts`` field a batch or shoot-out has."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from reelgen.api.fanout import RequestCounts
from reelgen.api.parent_counts import progress
from reelgen.jobs.records import Job, JobStatus

DOC = Path(__file__).parents[2] / "docs" / "batches-api.md"


def test_the_batch_object_example_has_the_request_counts_the_api_sends() -> None:
    """The example read total, queued, in_progress, completed, failed, cancelled: no deleted, which every
    batch object has had since item jobs of an ended batch could be deleted on their own."""
    text = DOC.read_text()
    shown = re.search(r'"request_counts": (\{[^}]*\})', text)
    assert shown is not None
    assert list(json.loads(shown.group(1))) == list(RequestCounts.model_fields)
    # What deleted counts is said where the counts are explained, once each (batch and shoot-out alike).
    said = " ".join(text.split())
    assert "`request_counts.deleted` counts the item jobs it had made when it ended that were deleted" in said
    assert "are in no other count" in said


def _parent(status: JobStatus, metrics: dict[str, int]) -> Job:
    return cast(Job, SimpleNamespace(status=status, terminal=status.terminal, metrics=metrics))


def test_what_progress_makes_of_a_deleted_item_job_is_said_as_the_api_counts_it() -> None:
    """It said "A deleted item job counts as ended.", but a cancelled parent's counts only if it had run
    to an end when the parent was cancelled (a cancelled shoot-out whose one trial was cancelled with it
    reads 0, not 99, once that trial is deleted)."""
    said = " ".join(DOC.read_text().split())
    assert "A deleted item job counts as ended." not in said
    assert "An item job deleted since its batch or shoot-out failed counts as ended." in said
    assert (
        "A cancelled one recorded, when it was cancelled, how many of its item jobs had run to an end "
        "(completed or failed); its progress counts that many, or those completed or failed now if more "
        "(one running then may end after), so an item job deleted since counts as ended only if it had run "
        "to an end by then."
    ) in said
    assert "One cancelled by a server older than that record counts every deleted item job as ended." in said
    # Each sentence, as progress() reads a parent whose 4 item jobs are all deleted.
    assert progress(_parent(JobStatus.FAILED, {"children": 4}), []) == 99
    assert progress(_parent(JobStatus.CANCELLED, {"children": 4, "ended": 1}), []) == 25
    assert progress(_parent(JobStatus.CANCELLED, {"children": 1, "ended": 0}), []) == 0
    assert progress(_parent(JobStatus.CANCELLED, {"children": 4}), []) == 99
    # One still running when it was cancelled, completed after: the larger count.
    done = cast(Job, SimpleNamespace(status=JobStatus.COMPLETED, terminal=True))
    assert progress(_parent(JobStatus.CANCELLED, {"children": 4, "ended": 1}), [done, done]) == 50

"""A batch's or shoot-out's ``request_counts`` and ``progress``, read from its item jobs as they are now."""

from __future__ import annotations

from pydantic import BaseModel, Field

from reelgen.jobs.records import Job, JobStatus


class RequestCounts(BaseModel):
    """``total`` items; the rest count the item jobs made so far by status (items skipped, failed to
    plan or finished by an earlier run get no job: the summary counts them)."""

    total: int
    queued: int = 0
    in_progress: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    deleted: int = Field(default=0, description="Item jobs deleted (DELETE /v1/videos/{id}) after it ended")


def deleted_items(parent: Job, children: list[Job]) -> int:
    """The item jobs an ended ``parent`` made (it recorded how many when it ended) that have since been
    deleted on their own (DELETE /v1/videos/{id}); none while it runs, which refuses such a delete."""
    made = int(parent.metrics.get("children") or 0) if parent.terminal else 0
    return max(0, made - len(children))


def counts(total: int, children: list[Job], parent: Job | None = None) -> RequestCounts:
    """``children`` by status; an ended ``parent``'s item jobs deleted since are counted as deleted.

    An item job of an ended parent may be deleted on its own; it was no longer among the children,
    so its trial vanished from every count. The parent recorded how many it made when it ended.
    """
    by_status = {s.value: sum(c.status is s for c in children) for s in JobStatus}
    deleted = deleted_items(parent, children) if parent is not None else 0
    return RequestCounts(total=total, **by_status, deleted=deleted)


def progress(job: Job, children: list[Job], total: int = 0) -> int:
    """100 once completed; before, the share of ``total`` items (at least the item jobs made) ended.

    A shoot-out makes its trials' jobs one at a time, so the share of the jobs made so far read
    99 after its first trial of four ended, then 50 once the second began: it passes its trial count.
    An ended parent's item jobs deleted since count as ended: a cancelled shoot-out's progress fell
    from 50 to 0 when its one finished trial was deleted, as if it had never run. A cancelled one's
    are those that ran to an end, as it recorded when it was cancelled (its metrics' ``ended``).
    """
    if job.status is JobStatus.COMPLETED:
        return 100
    deleted = deleted_items(job, children)
    if job.status is JobStatus.CANCELLED:
        # Its items were cancelled with it: counted as ended, a shoot-out cancelled before any trial ran
        # read 99%. Only the items that ran to an end are its progress.
        ran = sum(c.status in (JobStatus.COMPLETED, JobStatus.FAILED) for c in children)
        recorded = job.metrics.get("ended")
        # A deleted item's status is gone with it; the parent recorded how many had ended when it was
        # cancelled (an item still running then may end after it: the larger of the two). A record
        # from before it kept that counts a deleted item as ended, which a finished item, the one
        # worth deleting for its files, was.
        ended = max(int(recorded), ran) if recorded is not None else ran + deleted
    else:
        ended = sum(c.terminal for c in children) + deleted
    made = max(len(children) + deleted, total)
    return min(99, 100 * ended // made) if made else 0

"""A batch's or shoot-out's items, ``request_counts`` and ``progress``, read from its item jobs as they are now."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from reelgen.api.schemas import Status, VideoError
from reelgen.core.errors import ReelgenError
from reelgen.jobs import kinds
from reelgen.jobs.records import ChildState, Job, JobNotFound, JobStatus

#: Parents whose parsed payload (a batch's whole manifest) and ended items' errors are kept, the most
#: recently read first.
PARENTS_KEPT = 8
#: A parent's payload not parsed yet, or one that no longer parses (a payload of an older version).
_UNREAD, _UNPARSED = object(), object()
#: An item job as read: its whole row, or what a live stream shows of it (``JobService.child_states``).
Item = Job | ChildState
#: Reads an item job's whole row, for the words of its error (``JobService.get``).
Load = Callable[[str], Job]
#: Reads the whole rows of several item jobs in one query, those found by id (``JobService.get_many``).
LoadMany = Callable[[list[str]], dict[str, Job]]


class ItemObject(BaseModel):
    """One item job of a batch or shoot-out; a ``render`` one is also a ``/v1/videos`` video of this id."""

    key: str
    job_id: str
    kind: str
    status: Status
    progress: int
    stage: str | None = None
    error: VideoError | None = None


class ItemList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ItemObject]


class ItemErrors:
    """Each item job's error as its parent's summary will say it (``ParentKind.item_error``), worked
    out once: a live stream asks every second, and parsed the batch's whole manifest and each failed
    Ken Burns item's payload each time. A parent's payload does not change once it is made, nor does
    an ended item job's error, so both are kept for the newest few parents read, by job id.

    A parent's errors are kept together and let go with it: kept one by one in a bound shared by
    every parent, a batch of more failed items than the bound let each go before it was asked again.
    """

    def __init__(self, parents: int = PARENTS_KEPT) -> None:
        self._parents: OrderedDict[str, _Kept] = OrderedDict()
        self._most = parents
        self._lock = threading.Lock()

    def of(
        self,
        parent: Job,
        children: Sequence[Item],
        load: Load | None = None,
        *,
        load_many: LoadMany | None = None,
    ) -> list[dict[str, Any] | None]:
        """Each child's error; ``load`` reads the whole row of an item read without it (a
        ``ChildState``) whose error is not kept yet: a kind may word it from the item's payload.
        ``load_many`` reads all such rows in one query: one each, a stream's first read of a batch of
        many failed items made as many queries."""
        if not any(child.error for child in children):
            return [None] * len(children)
        kept = self._kept(parent)
        if load_many is not None:
            load = self._rows(kept, children, load_many)
        return [self._error(parent, kept, child, load) if child.error else None for child in children]

    def _rows(self, kept: _Kept, children: Sequence[Item], load_many: LoadMany) -> Load:
        """Reads the rows of every child read without its row whose error is not kept yet, at once."""
        with self._lock:
            wanted = [
                child.id
                for child in children
                if child.error
                and isinstance(child, ChildState)
                and (child.id, child.status.value) not in kept.errors
            ]
        rows = load_many(wanted) if wanted else {}

        def load(job_id: str) -> Job:
            if job_id not in rows:  # deleted since it was counted: it keeps its own words
                raise JobNotFound.of(job_id)
            return rows[job_id]

        return load

    def _kept(self, parent: Job) -> _Kept:
        with self._lock:
            kept = self._parents.get(parent.id)
            if kept is not None:
                self._parents.move_to_end(parent.id)
                return kept
            kept = self._parents[parent.id] = _Kept()
            while len(self._parents) > self._most:
                self._parents.popitem(last=False)
            return kept

    def _error(self, parent: Job, kept: _Kept, child: Item, load: Load | None) -> dict[str, Any] | None:
        key = (child.id, child.status.value)
        with self._lock:
            if key in kept.errors:
                return kept.errors[key]
        error = child.error
        # JobNotFound (a ReelgenError): an item deleted since it was counted keeps its own words.
        with contextlib.suppress(kinds.UnknownKind, ReelgenError):  # then its own words, as they are
            kind = kinds.parent(parent.kind)
            payload = self._payload(kind, parent, kept)
            whole = _row(child, load)
            if payload is not _UNPARSED and whole is not None:
                error = kind.item_error(payload, whole)
        if child.terminal:  # a running one's error may still change
            with self._lock:
                kept.errors[key] = error
        return error

    @staticmethod
    def _payload(kind: kinds.ParentKind[Any], parent: Job, kept: _Kept) -> Any:
        # Read without the lock: two threads at once may both parse it, and keep the same thing.
        if kept.payload is _UNREAD:
            try:
                kept.payload = kind.parse(parent.payload)
            except ReelgenError:  # kept too: it was parsed again for each failed item
                kept.payload = _UNPARSED
        return kept.payload


def _row(child: Item, load: Load | None) -> Job | None:
    """``child``'s whole row: read now for one read without it (``ChildState``), None with no ``load``."""
    if isinstance(child, ChildState):
        return load(child.id) if load is not None else None
    return child


@dataclass
class _Kept:
    """One parent's parsed payload (or ``_UNREAD``, ``_UNPARSED``) and its ended items' errors, by
    (job id, status)."""

    payload: Any = _UNREAD
    errors: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)


#: The one cache of every parent route of this process.
ITEM_ERRORS = ItemErrors()


def item_objects(
    parent: Job, children: Sequence[Item], load: Load | None = None, *, load_many: LoadMany | None = None
) -> list[ItemObject]:
    """The parent's item jobs, each error as the parent's summary will say it (``ItemErrors``): a
    batch's Ken Burns item names the manifest's ``items[N].images[0]``, not the job's ``image``."""
    errors = ITEM_ERRORS.of(parent, children, load, load_many=load_many)
    return [item_object(child, error) for child, error in zip(children, errors, strict=True)]


def item_object(child: Item, error: dict[str, Any] | None) -> ItemObject:
    return ItemObject(
        key=str(child.child_key),
        job_id=child.id,
        kind=child.kind,
        status=child.status.value,
        progress=100 if child.status is JobStatus.COMPLETED else max(0, min(100, child.progress)),
        stage=child.stage,
        error=VideoError(**error) if error else None,
    )


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


@dataclass(frozen=True)
class ItemStatuses:
    """How many item jobs a parent has in each status (``JobStatus`` values): all its counts and
    progress need of them. A list page counts them in the database (``JobService.child_statuses``):
    it read every item job's row, payload and all, of up to 100 parents to count them."""

    by_status: Mapping[str, int]

    @classmethod
    def of(cls, children: Sequence[Item]) -> ItemStatuses:
        return cls(Counter(child.status.value for child in children))

    def count(self, *statuses: JobStatus) -> int:
        return sum(self.by_status.get(status.value, 0) for status in statuses)

    @property
    def made(self) -> int:
        """The item jobs there are (those deleted on their own are gone from every status)."""
        return sum(self.by_status.values())


#: A parent's item jobs as read, or only how many are in each status.
Children = Sequence[Job] | ItemStatuses


def _statuses(children: Children) -> ItemStatuses:
    return children if isinstance(children, ItemStatuses) else ItemStatuses.of(children)


def deleted_items(parent: Job, children: Children) -> int:
    """The item jobs an ended ``parent`` made (it recorded how many when it ended) that have since been
    deleted on their own (DELETE /v1/videos/{id}); none while it runs, which refuses such a delete."""
    made = int(parent.metrics.get("children") or 0) if parent.terminal else 0
    return max(0, made - _statuses(children).made)


def counts(total: int, children: Children, parent: Job | None = None) -> RequestCounts:
    """``children`` by status; an ended ``parent``'s item jobs deleted since are counted as deleted.

    An item job of an ended parent may be deleted on its own; it was no longer among the children,
    so its trial vanished from every count. The parent recorded how many it made when it ended.
    """
    statuses = _statuses(children)
    by_status = {s.value: statuses.count(s) for s in JobStatus}
    deleted = deleted_items(parent, statuses) if parent is not None else 0
    return RequestCounts(total=total, **by_status, deleted=deleted)


def progress(job: Job, children: Children, total: int = 0) -> int:
    """100 once completed; before, the share of ``total`` items (at least the item jobs made) ended.

    A shoot-out makes its trials' jobs one at a time, so the share of the jobs made so far read
    99 after its first trial of four ended, then 50 once the second began: it passes its trial count.
    An ended parent's item jobs deleted since count as ended: a cancelled shoot-out's progress fell
    from 50 to 0 when its one finished trial was deleted, as if it had never run. A cancelled one's
    are those that ran to an end, as it recorded when it was cancelled (its metrics' ``ended``).
    Only statuses count: a running item's own progress is not part of it.
    """
    if job.status is JobStatus.COMPLETED:
        return 100
    statuses = _statuses(children)
    deleted = deleted_items(job, statuses)
    if job.status is JobStatus.CANCELLED:
        # Its items were cancelled with it: counted as ended, a shoot-out cancelled before any trial ran
        # read 99%. Only the items that ran to an end are its progress.
        ran = statuses.count(JobStatus.COMPLETED, JobStatus.FAILED)
        recorded = job.metrics.get("ended")
        # A deleted item's status is gone with it; the parent recorded how many had ended when it was
        # cancelled (an item still running then may end after it: the larger of the two). A record
        # from before it kept that counts a deleted item as ended, which a finished item, the one
        # worth deleting for its files, was.
        ended = max(int(recorded), ran) if recorded is not None else ran + deleted
    else:
        ended = statuses.count(*(s for s in JobStatus if s.terminal)) + deleted
    made = max(statuses.made + deleted, total)
    return min(99, 100 * ended // made) if made else 0

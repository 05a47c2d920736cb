"""The job record, its events and the errors of the job layer, shared by store, service and API."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from reelgen.core.errors import ReelgenError

#: Server-generated job ids: ``video_`` and 32 hex digits. Nothing else reaches a path.
JOB_ID = re.compile(r"^video_[0-9a-f]{32}$")
#: What ``JOB_ID`` takes, as every message says it (the CLI said it in other words).
ID_FORM = "'video_' followed by 32 hex digits"
#: Where the API reads a job of each kind: ``GET /v1/{path}/{id}``. A kind not here has no route of its
#: own (a project's jobs are read under its project's id, a scene's under its project job).
KIND_PATHS = MappingProxyType(
    {"render": "videos", "enhance": "videos", "avatar": "videos", "batch": "batches", "shootout": "shootouts"}
)
#: A kind as a person calls its jobs, where that is not the kind's own name.
_NOUNS = MappingProxyType({"render": "video", "enhance": "video", "avatar": "video", "shootout": "shoot-out"})


def id_form(noun: str) -> str:
    """``<noun> ids are 'video_' followed by 32 hex digits``: what an id of no job's form is told."""
    return f"{noun} ids are {ID_FORM}"


def kind_noun(kind: str) -> str:
    """What a person calls a job of ``kind``: ``video`` for a render, ``shoot-out``, ``batch``."""
    return _NOUNS.get(kind, kind)


def kind_url(kind: str, job_id: str | None = None) -> str | None:
    """``/v1/{path}/{job_id}`` where a job of ``kind`` is read (its list without ``job_id``), or None
    for a kind with no route of its own."""
    path = KIND_PATHS.get(kind)
    if path is None:
        return None
    return f"/v1/{path}/{job_id}" if job_id is not None else f"/v1/{path}"


def known_as(kind: str, job_id: str) -> str:
    """A job as a person knows it and where it is read: ``the batch ID (GET /v1/batches/ID)``."""
    url = kind_url(kind, job_id)
    return f"the {kind_noun(kind)} {job_id} (GET {url})" if url else f"the {kind} job {job_id}"


class JobStatus(StrEnum):
    """``queued -> in_progress -> completed | failed | cancelled``; ``queued`` again on retry."""

    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


#: Event types a job's stream carries, in the order a run produces them.
EVENT_TYPES = ("queued", "started", "progress", "completed", "failed", "cancelled")

#: Webhook events sent when a job names a webhook but no filter.
DEFAULT_WEBHOOK_EVENTS = ("completed", "failed", "cancelled")


@dataclass(frozen=True)
class Facts:
    """What a job's row shows at a glance and lists filter on, copied out of its payload by its kind."""

    model: str = ""
    prompt: str = ""
    seed: int | None = None
    width: int | None = None
    height: int | None = None
    num_frames: int | None = None
    fps: float | None = None


class _Outcome:
    """Where a job stands, said one way for a whole row (``Job``) and a child's state (``ChildState``)."""

    status: JobStatus
    error_code: str | None
    error_message: str | None

    @property
    def terminal(self) -> bool:
        return self.status.terminal

    @property
    def error(self) -> dict[str, str] | None:
        """``{"code", "message"}`` of a failed (or cancelled) job, else None."""
        if self.error_code is None:
            return None
        return {"code": self.error_code, "message": self.error_message or ""}


@dataclass(frozen=True)
class Job(_Outcome):
    """One job as stored. Times are Unix seconds (float); sizes in pixels.

    ``kind`` names its handler (``reelgen.jobs.kinds``); ``payload`` is that
    kind's typed payload as JSON: for ``render``, the ``ResolvedRequest`` made
    once at the edge, which alone reproduces the video (``kinds.payload_of(job)``
    reads it back typed). ``model``, ``prompt``, ``seed`` and the size columns
    are copied out of it for queries. ``token`` is the fencing token of the
    current attempt: only the holder of the latest token can report progress or
    finish the job. A child job names its ``parent_id`` and its ``child_key``
    there.
    """

    id: str
    status: JobStatus
    model: str
    prompt: str
    payload: dict[str, Any]
    priority: int
    created_at: float
    updated_at: float
    started_at: float | None = None
    completed_at: float | None = None
    progress: int = 0
    stage: str | None = None
    step: int | None = None
    total: int | None = None
    eta_s: float | None = None
    attempts: int = 0
    max_attempts: int = 2
    token: int = 0
    worker_id: str | None = None
    owner: str | None = None
    lease_until: float | None = None
    cancel_requested: bool = False
    error_code: str | None = None
    error_message: str | None = None
    result: dict[str, Any] | None = None
    seed: int | None = None
    num_frames: int | None = None
    fps: float | None = None
    width: int | None = None
    height: int | None = None
    seconds: float | None = None
    idempotency_key: str | None = None
    body_hash: str | None = None
    webhook_url: str | None = None
    webhook_events: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    remixed_from: str | None = None
    data_removed: bool = False
    kind: str = "render"
    parent_id: str | None = None
    child_key: str | None = None

    @property
    def size(self) -> str | None:
        """``"WxH"`` as OpenAI's video object writes it."""
        return f"{self.width}x{self.height}" if self.width and self.height else None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["status"] = self.status.value
        out["size"] = self.size
        return out


@dataclass(frozen=True)
class ChildState(_Outcome):
    """What a parent's live stream shows of one child job: its status, progress and error, not its
    row. The stream looks once a second; it read every child's whole row, payload and all."""

    id: str
    kind: str
    status: JobStatus
    progress: int
    stage: str | None
    child_key: str | None
    error_code: str | None
    error_message: str | None


@dataclass(frozen=True)
class JobEvent:
    """One entry of a job's append-only event log; ``seq`` counts from 1 per job (SSE event id)."""

    job_id: str
    seq: int
    type: str
    data: dict[str, Any]
    created_at: float


@dataclass(frozen=True)
class JobPage:
    """One page of ``JobStore.list``; pass ``last_id`` as ``after`` for the next page.

    ``positions`` holds the queue position of each queued job on the page (``JobService.list``).
    """

    items: list[Job]
    has_more: bool
    positions: dict[str, int] = field(default_factory=dict)

    @property
    def first_id(self) -> str | None:
        return self.items[0].id if self.items else None

    @property
    def last_id(self) -> str | None:
        return self.items[-1].id if self.items else None


class JobError(ReelgenError):
    """Base of the job layer's errors."""

    code = "job_error"


class JobNotFound(JobError):
    """No job has this id (or the id is not a server-generated one)."""

    code = "not_found"

    @classmethod
    def of(cls, job_id: str, noun: str = "job") -> JobNotFound:
        """``no <noun> 'id'``, saying what an id looks like when ``job_id`` cannot be one.

        ``noun`` is what the caller's users call the thing: "video" on the /v1/videos routes.
        """
        if not JOB_ID.match(job_id or ""):
            # Quoted at most 40 characters: a 3000-character id came back whole in the answer.
            shown = repr(job_id) if len(job_id or "") <= 40 else f"{job_id[:40]!r}..."
            return cls(f"no {noun} {shown}: {id_form(noun)}", param="id")
        return cls(f"no {noun} {job_id!r}", param="id")


class DeletedCursor(JobNotFound):
    """A page cursor names a job of another kind than the list's, deleted since (its record keeps the kind).

    A ``JobNotFound``, so a caller that says "no such item" still says something true; the video list
    says which kind of job it was, as it does for one that still exists.
    """

    def __init__(self, job_id: str, kind: str) -> None:
        super().__init__(f"{job_id!r} was a {kind} job, deleted since", param="after")
        self.job_id = job_id
        self.kind = kind


class IdempotencyConflict(JobError):
    """An Idempotency-Key was reused with a different request body (HTTP 409)."""

    code = "idempotency_conflict"

    def __init__(self, key: str, job: Job) -> None:
        # "already used for job video_..." read as a video's id when the key made a batch or a
        # shoot-out (every job's id looks alike), and the person looked for it in GET /v1/videos.
        known = known_as(job.kind, job.id)
        super().__init__(
            f"Idempotency-Key {key!r} was already used for {known} with a different request body; "
            "send that same request to get its job back, or use a new key",
            param="Idempotency-Key",
        )
        self.job_id = job.id


class IdempotencyKeyDeleted(IdempotencyConflict):
    """An Idempotency-Key whose job was deleted since (HTTP 409): a retry must not make a second job."""

    def __init__(self, key: str, job_id: str, kind: str | None) -> None:
        noun = kind_noun(kind) if kind else "job"
        JobError.__init__(
            self,
            f"Idempotency-Key {key!r} made the {noun} {job_id}, which was deleted since; "
            "a key makes one job, so use a new key to make another",
            param="Idempotency-Key",
        )
        self.job_id = job_id


class QueueFull(JobError):
    """The queue holds its maximum of jobs (HTTP 429); ``retry_after_s`` says when to try again."""

    code = "queue_full"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class StaleToken(JobError):
    """A worker reported with a fencing token that is no longer current: its attempt is over."""

    code = "stale_token"


class InvalidTransition(JobError):
    """The job is not in a state that allows this (e.g. deleting a running job)."""

    code = "invalid_transition"


class EngineUnavailable(JobError):
    """The engine died and is being started again (HTTP 503): new jobs are refused meanwhile."""

    code = "engine_unavailable"

    def __init__(self, message: str, *, retry_after_s: int = 5) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s

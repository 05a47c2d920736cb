"""The job kinds this service knows, by name: ``render`` and ``enhance`` are built in, others come through ``register``.

    from reelgen.jobs import kinds
    kinds.register(MyBatchKind())          # a ParentKind or WorkerKind instance
    payload = kinds.payload_of(job)        # the job's payload, typed

See ``reelgen.jobs.kinds.base`` for the contract of each.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from reelgen.core.errors import ReelgenError
from reelgen.core.spec.request import walk_input_files
from reelgen.jobs.kinds.avatar import AvatarKind
from reelgen.jobs.kinds.base import (
    WAIT,
    Child,
    Complete,
    Fail,
    Kind,
    ParentKind,
    Spawn,
    Step,
    WorkerContext,
    WorkerKind,
    settle,
)
from reelgen.jobs.kinds.batch import BatchKind
from reelgen.jobs.kinds.enhance import EnhanceKind, EnhancePayload
from reelgen.jobs.kinds.export import ExportKind
from reelgen.jobs.kinds.kenburns import KenBurnsKind
from reelgen.jobs.kinds.project import ProjectKind
from reelgen.jobs.kinds.render import RenderKind
from reelgen.jobs.kinds.scene import SceneKind
from reelgen.jobs.kinds.shootout import ShootoutKind
from reelgen.jobs.records import Facts, Job, JobError

__all__ = [
    "WAIT",
    "Child",
    "Complete",
    "EnhanceKind",
    "EnhancePayload",
    "Facts",
    "Fail",
    "Kind",
    "ParentKind",
    "RenderKind",
    "Spawn",
    "Step",
    "UnknownKind",
    "WorkerContext",
    "WorkerKind",
    "get",
    "parent",
    "parent_names",
    "payload_of",
    "register",
    "settle",
    "unregister",
    "worker",
]

RENDER = "render"
ENHANCE = "enhance"
AVATAR = "avatar"
#: The kinds whose jobs are videos (``/v1/videos`` shows them): one clip made, one clip enhanced,
#: one talking head made.
VIDEO_KINDS = (RENDER, ENHANCE, AVATAR)


class UnknownKind(JobError):
    """No handler is registered for a job's kind (a plugin that is no longer installed)."""

    code = "unknown_kind"


_kinds: dict[str, Kind[Any]] = {RENDER: RenderKind(), ENHANCE: EnhanceKind(), AVATAR: AvatarKind()}
_kinds.update({kind.name: kind for kind in (KenBurnsKind(), BatchKind(), ShootoutKind())})
#: Storyboards: a project job's scene (or window) renders and its export run on workers.
_kinds.update({kind.name: kind for kind in (ProjectKind(), SceneKind(), ExportKind())})


def register(kind: Kind[Any]) -> None:
    """Make ``kind`` known in this process (the API process, and workers for worker kinds)."""
    _kinds[kind.name] = kind


def unregister(name: str) -> None:
    if name not in (RENDER, ENHANCE, AVATAR):
        _kinds.pop(name, None)


def get(name: str) -> Kind[Any]:
    found = _kinds.get(name)
    if found is None:
        raise UnknownKind(f"no job kind {name!r} here; known kinds: {', '.join(sorted(_kinds))}")
    return found


def worker(name: str) -> WorkerKind[Any]:
    found = get(name)
    if not isinstance(found, WorkerKind):
        raise UnknownKind(f"job kind {name!r} is a parent kind; it runs no worker")
    return found


def parent(name: str) -> ParentKind[Any]:
    found = get(name)
    if not isinstance(found, ParentKind):
        raise UnknownKind(f"job kind {name!r} is not a parent kind")
    return found


def parent_names() -> frozenset[str]:
    return frozenset(name for name, kind in _kinds.items() if isinstance(kind, ParentKind))


def payload_of(job: Job) -> BaseModel:
    """The job's payload as its kind's model (for ``render``, the ``ResolvedRequest``)."""
    return get(job.kind).parse(job.payload)


def input_paths(job: Job) -> list[str]:
    """The input files a job still needs; a payload that no longer parses is read as raw JSON."""
    try:
        kind = get(job.kind)
        return [path for _, path in kind.input_files(kind.parse(job.payload))]
    except ReelgenError:  # retention must not stop at one odd row
        return walk_input_files(job.payload)

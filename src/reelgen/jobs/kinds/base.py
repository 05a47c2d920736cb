"""The job-kind contract: a typed payload plus a handler, run on a GPU worker or as a parent of other jobs.

Two shapes of work, and the dispatcher knows only these two:

- A **worker kind** (``render``; later ``enhance``, ``export``, ``avatar``) runs on
  one GPU worker. ``run`` reports progress through the core's ``Progress`` (the
  worker turns it into typed events) and returns the files it made. Its input
  files travel to the worker by value: ``input_files`` names them,
  ``with_input_files`` points the payload at the worker's copies.
- A **parent kind** (later ``project``, ``batch``, ``shootout``) runs no model.
  ``advance(parent, payload, children)`` looks at the children made so far and
  answers ``Spawn`` (these children, each under a stable key), ``Complete`` or
  ``Fail``. It is called when the parent is created, whenever one of its children
  finishes and when the service starts, so it must decide from its arguments
  alone: the store holds one child per (parent, key), so asking again for a child
  that exists is a no-op and a restart in the middle of a fan-out loses nothing.

Kinds never touch the store; ``reelgen.jobs.parents`` and the dispatcher do.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from reelgen.core.errors import from_validation_error
from reelgen.jobs.records import Facts, Job, JobStatus

if TYPE_CHECKING:
    from reelgen.core.batch.summary import ItemOutcome
    from reelgen.core.cache import ModelCache
    from reelgen.core.progress import Progress
    from reelgen.jobs.events import RunResult

P = TypeVar("P", bound=BaseModel)


class Kind(ABC, Generic[P]):
    """What every kind declares: its name, its payload model, and the row facts of a payload."""

    name: ClassVar[str]
    payload_model: ClassVar[type[BaseModel]]

    def parse(self, data: dict[str, Any]) -> P:
        """The payload stored as JSON, typed again; a payload that no longer parses is ``InvalidRequest``."""
        try:
            payload: P = self.payload_model.model_validate(data)  # type: ignore[assignment]
        except ValidationError as exc:
            raise from_validation_error(exc, prefix="payload.") from None
        return payload

    def dump(self, payload: P) -> dict[str, Any]:
        return payload.model_dump(mode="json")

    @abstractmethod
    def facts(self, payload: P) -> Facts:
        """The row columns of a job with this payload (model, prompt, seed, size ...)."""

    def input_files(self, payload: P) -> list[tuple[str, str]]:
        """Input files the payload names, as (parameter, path); they must stay while the job waits."""
        return []

    def input_named(self, param: str) -> str:
        """How a message names the input ``param`` instead of the worker's copy of it (input-0.mp4,
        a scratch path that means nothing to the person and is gone once the job ends)."""
        return f"the {param.replace('_', ' ')} file"


@dataclass
class WorkerContext:
    """What a worker hands a kind's ``run``: a scratch folder, progress and cancel, its model cache."""

    folder: Path
    progress: Progress
    cache: ModelCache
    worker_id: str


class WorkerKind(Kind[P]):
    """Work for one GPU worker: placed by ``least_gib``, run by ``run``, its files checked by ``check``."""

    def model(self, payload: P) -> str | None:
        """The model the worker loads, so placement prefers a worker that holds it already."""
        return None

    def least_gib(self, payload: P, total_gib: float) -> float | None:
        """An estimate of the GPU memory the run needs on a card of ``total_gib``; None if unknown here."""
        return None

    def with_input_files(self, payload: P, paths: dict[str, str]) -> P:
        """A copy of ``payload`` whose input files at these parameters are the worker's copies."""
        return payload

    @abstractmethod
    def run(self, payload: P, context: WorkerContext) -> RunResult:
        """Do the work on the worker (heavy imports happen here); returns the files made.

        Raises the core's errors (``Cancelled``, ``InvalidRequest``, ``OutOfMemory``
        ...); the worker turns them into typed events.
        """

    def check(self, job: Job, files: dict[str, Path], result: RunResult) -> dict[str, Any]:
        """Check the saved files before the job completes (API side); returns facts for its result.

        Raises ``GenerationFailed`` to fail the job instead.
        """
        return {}


@dataclass(frozen=True)
class Child:
    """A child job a parent asks for: a ``key`` stable across calls, a worker or parent kind, its payload."""

    key: str
    kind: str
    payload: BaseModel


@dataclass(frozen=True)
class Spawn:
    """Make these children (those whose key exists already are skipped); an empty one means: wait."""

    children: tuple[Child, ...] = ()


@dataclass(frozen=True)
class Complete:
    """The parent is done; ``result`` becomes its job result."""

    result: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Fail:
    """The parent failed with ``message``; its children still queued or running are cancelled."""

    message: str
    code: str = "children_failed"


Step = Spawn | Complete | Fail

#: ``advance``'s answer when nothing is to be done until a child finishes.
WAIT = Spawn()


class ParentKind(Kind[P]):
    """Work made of other jobs; see the module docstring for the restart-safe ``advance`` contract."""

    @abstractmethod
    def advance(self, parent: Job, payload: P, children: Sequence[Job]) -> Step:
        """The next step given the children that exist (in creation order, any status)."""

    def stop(self, parent_id: str, reason: str = "cancelled") -> None:
        """Ask an ``advance`` of this parent running now to end early (``Cancelled``): it was cancelled.

        Called from another thread; a kind whose ``advance`` is quick has nothing to stop.
        """

    def planned_ends(self, parent_id: str) -> list[ItemOutcome]:
        """The running parent's items that will get no child (failed or skipped as it planned them),
        each as its summary will say it; none for a kind that plans none, or in another process."""
        return []

    def item_error(self, payload: P, child: Job) -> dict[str, Any] | None:
        """The ended ``child``'s error as the parent's own summary says it (its input, not the child's).

        Shown as each item ends, so the live line and the summary at the end say one thing.
        """
        return child.error

    def cancelled(self, parent: Job, payload: P, children: Sequence[Job]) -> str | None:
        """Keep what the ended ``children`` made, once the parent is cancelled; returns its message.

        Called once, after its unfinished children were cancelled; None keeps the usual message.
        """
        return None


def settle(children: Sequence[Job], expected: int) -> Step:
    """The usual end of a fan-out of ``expected`` children: wait for all, then complete or fail.

    Completes with ``{"children": {key: job id}}`` when every child completed;
    fails naming each child that did not, with its error.
    """
    if len(children) < expected or any(not c.terminal for c in children):
        return WAIT
    ids = {str(c.child_key): c.id for c in children}
    bad = [c for c in children if c.status is not JobStatus.COMPLETED]
    if not bad:
        return Complete({"children": ids})
    return Fail(f"{len(bad)} of {len(children)} children did not complete: {'; '.join(map(_why, bad))}")


def _why(child: Job) -> str:
    """``clip-1 (video_...) failed: generation_failed: the model made a broken clip ...``."""
    error = child.error or {"code": child.status.value, "message": ""}
    return f"{child.child_key} ({child.id}) {child.status.value}: {error['code']}: {error['message']}"

"""What ``/v1/batches`` and ``/v1/shootouts`` share: server folders, the parent's item jobs, its routes and live events.

Batches and shoot-outs read keyframes and write clips in folders the person
names, on the server's disk. The server takes only folders under
``REELGEN_BATCH_ROOTS`` (``os.pathsep``-separated); with none set it takes none.

No ``from __future__ import annotations`` here: the routes ``add_routes`` makes
are annotated with its arguments, which FastAPI must see as values.
"""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from reelgen.api import sse
from reelgen.api.deps import service_of, settings_of
from reelgen.api.errors import ApiError
from reelgen.api.inputs import decodes
from reelgen.api.lengths import shown
from reelgen.api.parent_body import ParentCreate as ParentCreate
from reelgen.api.parent_body import check_priority as check_priority
from reelgen.api.parent_counts import Children as Children
from reelgen.api.parent_counts import ItemList, ItemObject, ItemStatuses, item_objects
from reelgen.api.parent_counts import RequestCounts as RequestCounts
from reelgen.api.parent_counts import counts as counts
from reelgen.api.parent_counts import progress as progress
from reelgen.api.parent_folder import server_folder as server_folder
from reelgen.api.parent_folder import writable_folder as writable_folder
from reelgen.api.schemas import ErrorEnvelope, Status
from reelgen.api.video_page import refuse_other_kinds
from reelgen.core.batch.summary import ItemOutcome
from reelgen.jobs import kinds
from reelgen.jobs.records import (
    JOB_ID,
    KIND_PATHS,
    ChildState,
    Job,
    JobEvent,
    JobNotFound,
    id_form,
    kind_noun,
    kind_url,
)
from reelgen.jobs.service import JobService

#: How often a live stream looks again when no event woke it (another process's writes).
POLL_S = 1.0
PING_S = 15.0

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope, "description": text}
    for code, text in (
        (400, "Invalid request: the message names the parameter and its valid values"),
        (401, "Missing or wrong API key"),
        (403, "A folder outside REELGEN_BATCH_ROOTS, or none allowed"),
        (404, "No such job"),
        (409, "Conflict: idempotency key reused with another body, a report not ready, or a folder in use"),
        (429, "Queue full; see Retry-After"),
    )
}


async def submit_planned(request: Request, submit: Callable[[], tuple[Job, bool]]) -> tuple[Job, bool]:
    """``submit`` in a thread under the app's bound on concurrent decodes: planning a batch or shoot-out
    decodes the input folder's images (keyframes scored, start images checked), as an upload's check
    does, and many creates at once held as many full-size pictures."""
    return await anyio.to_thread.run_sync(submit, limiter=decodes(request))


# ---- what a parent's object shows ---------------------------------------------------------------


class ParentUrls(BaseModel):
    self: str
    events: str
    cancel: str
    items: str


def urls(request: Request, kind: str, job_id: str) -> dict[str, str]:
    own = f"{str(request.base_url).rstrip('/')}{kind_url(kind, job_id)}"
    return {"self": own, "events": f"{own}/events", "cancel": f"{own}/cancel", "items": f"{own}/items"}


def whole(t: float | None) -> int | None:
    """A store time as the wire's whole Unix seconds."""
    return int(t) if t else None


def planned_ends(job: Job) -> list[ItemOutcome]:
    """What the registered kind of the running parent ``job`` tells of its items that will get no job
    (``ParentKind.planned_ends``); none once it ended, or for a kind no longer registered."""
    if job.terminal:
        return []
    with contextlib.suppress(kinds.UnknownKind):
        return kinds.parent(job.kind).planned_ends(job.id)
    return []


def parent_of(service: JobService, job_id: str, kind: str, noun: str) -> Job:
    """The parent job ``job_id`` of ``kind``, or a 404 naming what was looked for."""
    try:
        return service.get(job_id, kind=kind)
    except JobNotFound:
        said = kind_noun(noun)  # "no shoot-out ...", as its other messages say it
        why = _why_none(service, job_id, said)
        raise ApiError(404, f"no {said} {shown(job_id)}{why}", param=f"{noun}_id", code="not_found") from None


def _why_none(service: JobService, job_id: str, said: str) -> str:
    """Why no parent has ``job_id``, as GET /v1/videos/{id} says it: a video's id (or a batch's, given
    to the shoot-outs) was told only "no batch ...", as if mistyped or deleted."""
    if not JOB_ID.match(job_id):
        return f": {id_form(said)}"
    try:
        other = service.get(job_id)
    except JobNotFound:
        return ""
    url = kind_url(other.kind, job_id)
    where = f" (GET {url})" if url else " job"
    return f": it is a {kind_noun(other.kind)}{where}, not a {said}"


# ---- creating --------------------------------------------------------------------------------------


def created(obj: BaseModel, self_url: str, replayed: bool) -> Response:
    """202 (or 200 for an idempotent replay) with the object and its Location."""
    headers = {"Location": self_url}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        obj.model_dump_json(),
        status_code=200 if replayed else 202,
        headers=headers,
        media_type="application/json",
    )


# ---- the routes every parent kind has -------------------------------------------------------------

#: A parent's object from the parent and its item jobs (as read, or only counted by status).
Present = Callable[[Request, Job, Children], BaseModel]


@dataclass(frozen=True)
class ParentRoutes:
    """List, retrieve, items, cancel, delete and events of ``kind`` jobs under ``/v1/{path}``."""

    kind: str
    noun: str
    present: Present
    model: type[BaseModel]
    listing: type[BaseModel]

    @property
    def key(self) -> str:
        return f"{self.noun}_id"

    @property
    def path(self) -> str:
        return KIND_PATHS[self.kind]

    def install(self, router: APIRouter) -> None:
        self._reading(router)
        self._acting(router)

    def one(self, request: Request, job_id: str) -> tuple[JobService, Job, BaseModel]:
        service = service_of(request)
        job = parent_of(service, job_id, self.kind, self.noun)
        return service, job, self.present(request, job, statuses(service, job.id))

    def _reading(self, router: APIRouter) -> None:
        kind, noun, key, listing = self.kind, self.noun, self.key, self.listing

        @router.get(f"/{self.path}", response_model=listing, summary=f"List {noun} jobs")
        def list_parents(
            request: Request,
            after: Annotated[
                str | None, Query(description=f"Id of the last {noun} of the previous page")
            ] = None,
            limit: Annotated[int, Query(ge=1, le=100)] = 20,
            order: Annotated[Literal["asc", "desc"], Query()] = "desc",
            status: Annotated[Status | None, Query()] = None,
        ) -> Any:
            service = service_of(request)
            said = kind_noun(noun)
            if after is not None:  # a job of another kind, here or deleted: said once, here
                refuse_other_kinds(service, after, {kind}, said, self.path)
            try:
                # A batch deleted since its page was listed still marks its place (the store keeps
                # it a day), as a deleted video does in GET /v1/videos: the "list, delete each, ask
                # for the next page" cleanup loop was told "no batch ... to continue from".
                page = service.list(after=after, limit=limit, order=order, status=status, kind=kind)
            except JobNotFound:
                if after is None:
                    raise
                # It said only "no batch '...' to continue from", echoing an id of any length.
                # Said "shoot-out", as the 404 of the same id says it ("shootout" is the route's word).
                form = "" if JOB_ID.match(after) else f": {id_form(said)}"
                raise ApiError(
                    400,
                    f"after: no {said} {shown(after)} to continue from{form}; list again without after, "
                    f"or from a {said} that still exists",
                    param="after",
                    code="invalid_value",
                ) from None
            # One count of the page's item jobs: it was one query per parent listed (up to 100), then
            # one that read every item job's row of them all, payload and all, only to count them.
            counted = service.child_statuses([job.id for job in page.items])
            data = [self.present(request, job, ItemStatuses(counted[job.id])) for job in page.items]
            return listing(data=data, first_id=page.first_id, last_id=page.last_id, has_more=page.has_more)

        @router.get(f"/{self.path}/{{{key}}}", response_model=self.model, summary=f"Retrieve a {noun} job")
        def get_parent(request: Request, response: Response, job_id: Annotated[str, _path(key)]) -> Any:
            _, job, obj = self.one(request, job_id)
            if not job.terminal:
                response.headers["openai-poll-after-ms"] = str(settings_of(request).poll_after_ms)
            return obj

        @router.get(
            f"/{self.path}/{{{key}}}/items", response_model=ItemList, summary=f"The item jobs of a {noun}"
        )
        def list_items(request: Request, job_id: Annotated[str, _path(key)]) -> ItemList:
            service = service_of(request)
            job = parent_of(service, job_id, kind, noun)
            children = service.child_states(job.id)
            return ItemList(data=item_objects(job, children, load_many=service.get_many))

    def _acting(self, router: APIRouter) -> None:
        kind, noun, key, present = self.kind, self.noun, self.key, self.present

        @router.post(
            f"/{self.path}/{{{key}}}/cancel",
            response_model=self.model,
            summary=f"Cancel a {noun} and its item jobs",
        )
        def cancel_parent(request: Request, job_id: Annotated[str, _path(key)]) -> Any:
            service = service_of(request)
            job = service.cancel(parent_of(service, job_id, kind, noun).id)
            return present(request, job, statuses(service, job.id))

        @router.delete(
            f"/{self.path}/{{{key}}}", summary=f"Delete a {noun} job and its item jobs (files it wrote stay)"
        )
        def delete_parent(request: Request, job_id: Annotated[str, _path(key)]) -> dict[str, Any]:
            service = service_of(request)
            job = service.delete(parent_of(service, job_id, kind, noun).id)
            return {"id": job.id, "object": f"{noun}.deleted", "deleted": True}

        @router.get(
            f"/{self.path}/{{{key}}}/events",
            summary=f"Live events of a {noun} (server-sent events)",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}},
        )
        async def parent_events(request: Request, job_id: Annotated[str, _path(key)]) -> StreamingResponse:
            """``open``; then the object whenever it changes (event named ``batch`` or ``shootout``) and
            ``item`` when an item job's status or progress changes; last ``completed``, ``failed`` or
            ``cancelled`` with the object. A reconnecting client starts again from the current state."""
            job = await run_in_threadpool(parent_of, service_of(request), job_id, kind, noun)
            headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            stream = follow(request, job.id, noun, present)
            return StreamingResponse(stream, media_type="text/event-stream", headers=headers)


def statuses(service: JobService, job_id: str) -> ItemStatuses:
    """How many item jobs ``job_id`` has in each status: all its object needs of them."""
    return ItemStatuses(service.child_statuses([job_id])[job_id])


def _path(key: str) -> Any:
    return PathParam(alias=key, max_length=64)


async def follow(request: Request, job_id: str, noun: str, present: Present) -> AsyncIterator[str]:
    """The parent's object and its items as they change, until it ends (see ``parent_events``)."""
    service = service_of(request)
    wakeups: sse.Wakeups = request.app.state.wakeups
    loop = asyncio.get_running_loop()
    signal = asyncio.Event()
    watched = {job_id}

    def on_event(event: JobEvent) -> None:  # on whichever thread committed it
        if event.job_id in watched:
            loop.call_soon_threadsafe(signal.set)

    def load() -> tuple[Job, list[ChildState], list[ItemObject]]:
        # The items too: their first read parses the parent's payload (a batch's whole manifest).
        # Only what is shown of each item is read, once a second: its whole row (payload and all)
        # only when its error is first worded, those of all such items in one query. The parent's
        # payload is read once (JobService.get keeps a parent's): only its other columns each time.
        job, children = service.get(job_id), service.child_states(job_id)
        return job, children, item_objects(job, children, load_many=service.get_many)

    unsubscribe = service.subscribe(on_event)
    try:
        yield sse.format_event("open", {"id": job_id}, retry_ms=1000)
        shown: dict[str, Any] = {}
        last_ping = time.monotonic()
        while True:
            signal.clear()  # before reading, so an event committed meanwhile still wakes us
            try:
                job, children, items = await run_in_threadpool(load)
            except JobNotFound:  # deleted while we streamed
                return
            watched.update(c.id for c in children)
            for child, obj_of_item in zip(children, items, strict=True):
                item = obj_of_item.model_dump(mode="json")
                if shown.get(child.id) != item:
                    shown[child.id] = item
                    yield sse.format_event("item", item)
            obj = present(request, job, ItemStatuses.of(children)).model_dump(mode="json")
            if job.terminal:
                yield sse.format_event(job.status.value, obj)
                return
            if shown.get(job_id) != obj:
                shown[job_id] = obj
                yield sse.format_event(noun, obj)
            if time.monotonic() - last_ping >= PING_S:
                last_ping = time.monotonic()
                yield ": ping\n\n"
            if await wakeups.pause(signal, POLL_S):  # the server is stopping: it need not wait for us
                yield sse.STOPPING
                return
    finally:
        unsubscribe()

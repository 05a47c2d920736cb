"""What the API shows of a project job (its object, its events as one SSE stream), and what the project routes share.

A project job is a parent whose work happens in its children (a scene, a
window of a long scene, the export), each with its own event log. The stream
interleaves them: the parent's own events as they are (``queued``, ``started``,
then ``completed``, ``failed`` or ``cancelled``, which ends it), and for each
child a ``child`` event when it changes state and ``progress`` events (stage
``window``, ``denoise``, ``export`` ... with the scene they belong to) that
also carry the job's overall percentage as it was when they were logged (a
client joining late sees the run as it went; within a stream it never goes
back), plus a ``project`` stage as scenes
finish. The SSE id is one cursor per log (``parent.child0.child1 ...``), so
a client that reconnects with ``Last-Event-ID`` misses nothing and repeats nothing.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import quote

import anyio
from fastapi import Request
from pydantic import BaseModel

from reelgen.api.deps import service_of
from reelgen.api.errors import ApiError
from reelgen.api.project_files import ProjectNotFound, ServerProjects
from reelgen.api.schemas import ErrorEnvelope
from reelgen.api.sse import (
    FINAL_EVENTS,
    MAX_SEQ,
    STOPPING,
    Wakeups,
    format_event,
    unreadable_last_event_id,
)
from reelgen.core.project.folder import ProjectFolder
from reelgen.jobs import kinds
from reelgen.jobs.kinds.project import EXPORT_KEY, PROJECT, ProjectPayload
from reelgen.jobs.records import Job, JobNotFound, JobStatus
from reelgen.jobs.service import JobService

#: Cursor ids are short; a longer header is someone else's.
MAX_CURSOR = 4000


class ProjectJob(BaseModel):
    """A render or export of a project, as the API shows it."""

    id: str
    object: str = "project.job"
    project_id: str
    action: str
    status: str
    progress: int
    stage: str | None = None
    scenes: list[str]
    created_at: int
    completed_at: int | None = None
    error: dict[str, str] | None = None
    children: list[dict[str, Any]]
    export: dict[str, Any] | None = None
    urls: dict[str, str]


def payload(job: Job) -> ProjectPayload:
    typed = kinds.payload_of(job)
    assert isinstance(typed, ProjectPayload)
    return typed


def scene_of(parent: ProjectPayload, child: Job) -> str | None:
    """The scene ids a child renders (``boats`` or ``a, b`` for scenes that read alike), or None."""
    key = str(child.child_key)
    ids = [
        p.scene_id for p in parent.plans if key in (f"scene-{p.key}",) or key.startswith(f"window-{p.key}-")
    ]
    return ", ".join(ids) or None


def percent(parent: Job, spec: ProjectPayload, children: list[Job]) -> int:
    """How far the whole job is: finished children, plus the running ones' own share, of all it will make."""
    if parent.status is JobStatus.COMPLETED:
        return 100
    total = max(spec.expected_children(), len(children), 1)
    done = sum(1.0 if c.status is JobStatus.COMPLETED else c.progress / 100 for c in children)
    return min(99, int(100 * done / total))


def child_view(spec: ProjectPayload, child: Job) -> dict[str, Any]:
    return {
        "id": child.id,
        "key": child.child_key,
        "kind": child.kind,
        "scene": scene_of(spec, child),
        "status": child.status.value,
        "progress": child.progress,
        "stage": child.stage,
        "step": child.step,
        "total": child.total,
        "error": child.error,
    }


def export_url(base: str, project_id: str, name: str) -> str:
    """Where the film ``name`` downloads: ``export.output`` may name it ``take #2?.mp4``, and a bare ``#``
    or ``?`` in the path cut it short there (a 404 naming ``'take '``)."""
    return f"{base}/v1/projects/{project_id}/exports/{quote(name, safe='')}"


def job_view(service: JobService, job: Job, project_id: str, base: str) -> ProjectJob:
    spec = payload(job)
    children = service.children(job.id)
    action = "+".join(a for a, on in (("render", spec.render), ("export", spec.export)) if on)
    running = [c for c in children if c.status is JobStatus.IN_PROGRESS]
    url = f"{base}/v1/projects/{project_id}/jobs/{job.id}"
    export = (job.result or {}).get("export")
    if export is not None:
        export = {k: v for k, v in export.items() if k != "path"}
        export["url"] = export_url(base, project_id, export["name"])
    return ProjectJob(
        id=job.id,
        project_id=project_id,
        action=action or "check",
        status=job.status.value,
        progress=percent(job, spec, children),
        stage=running[0].stage if running else None,
        scenes=[p.scene_id for p in spec.plans],
        created_at=int(job.created_at),
        completed_at=int(job.completed_at) if job.completed_at else None,
        error=job.error,
        children=[child_view(spec, c) for c in children],
        export=export,
        urls={"self": url, "events": f"{url}/events", "cancel": f"{url}/cancel"},
    )


# ---- shared by the project routes ----------------------------------------------------------------

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope, "description": text}
    for code, text in (
        (400, "Invalid project or request: the message names the scene and field"),
        (401, "Missing or wrong API key"),
        (404, "No such project, job or file"),
        (409, "The project has a job running; wait for it or cancel it"),
        (429, "Queue full; see Retry-After"),
    )
}


_MADE = threading.Lock()


def projects_of(request: Request) -> ServerProjects:
    """The app's projects, under its job service's data directory (made once: one lock orders changes)."""
    with _MADE:
        found: ServerProjects | None = getattr(request.app.state, "projects", None)
        if found is None:
            found = request.app.state.projects = ServerProjects(
                service_of(request).settings.data_dir / "projects",
                max_image_pixels=request.app.state.settings.max_image_pixels,
            )
        return found


def folder_or_404(projects: ServerProjects, project_id: str) -> ProjectFolder:
    try:
        return projects.folder(project_id)
    except ProjectNotFound as exc:
        raise ApiError(404, exc.message, param="project_id", code="not_found") from None


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def latest_job(service: JobService, meta: dict[str, Any]) -> Job | None:
    for job_id in reversed(meta.get("jobs") or []):
        try:
            return service.get(job_id, kind=PROJECT)
        except JobNotFound:
            continue
    return None


def busy(request: Request, project_id: str) -> Job | None:
    latest = latest_job(service_of(request), projects_of(request).meta(project_id))
    return latest if latest is not None and not latest.terminal else None


def refuse_busy(request: Request, project_id: str) -> None:
    job = busy(request, project_id)
    if job is not None:
        raise ApiError(
            409,
            f"project {project_id} has job {job.id} {job.status.value}; wait for it or cancel it first "
            f"(POST /v1/projects/{project_id}/jobs/{job.id}/cancel)",
            param="project_id",
            code="project_busy",
        )


# ---- events --------------------------------------------------------------------------------


def parse_cursor(header: str | None) -> list[int]:
    """``Last-Event-ID`` back into one position per log; none (or an empty one) starts from the beginning,
    one that is no cursor this stream sends is a 400 naming it."""
    if not header or not header.strip():
        return []
    try:
        if len(header) > MAX_CURSOR:  # the route's header limit says so first
            raise ValueError(header)
        # Held at MAX_SEQ, as a video's stream holds its id: "after everything", and never a number
        # the job store cannot hold (99999999999999999999 was SQLite's OverflowError once the 200 had
        # begun: the connection dropped mid-answer).
        return [min(MAX_SEQ, max(0, int(part))) for part in header.split(".")]
    except ValueError:
        raise unreadable_last_event_id(header, "whole numbers joined by dots, such as 3.5.0.7") from None


Frame = tuple[str, dict[str, Any], str]


def _frames(service: JobService, job: Job, spec: ProjectPayload, cursor: list[int]) -> list[Frame]:
    """New (event, data, id) from every log, advancing ``cursor``: the parent's first, its final one last.

    Each frame's id is the cursor just after it, so a client resuming from any
    frame gets exactly the frames after that one.
    """
    children = service.children(job.id)
    cursor.extend([0] * (len(children) + 1 - len(cursor)))
    out: list[Frame] = []

    def add(name: str, data: dict[str, Any]) -> None:
        out.append((name, data, ".".join(map(str, cursor))))

    own = service.events(job.id, cursor[0], 200)
    for ev in own:
        if ev.type not in FINAL_EVENTS:
            cursor[0] = ev.seq
            add(ev.type, {"job_id": job.id, **ev.data})
    total = max(spec.expected_children(), len(children), 1)
    finished = {c.id: c.completed_at for c in children if c.status is JobStatus.COMPLETED and c.completed_at}

    def done_before(at: float, other_than: str) -> int:
        """Children other than one that had finished by ``at``: the job's state when an event was logged,
        so a client that joins late or reconnects sees the percentages as they were, not as they are."""
        return sum(1 for cid, when in finished.items() if cid != other_than and when <= at)

    for i, child in enumerate(children, start=1):
        about = {"job_id": job.id, "child": child.child_key, "child_id": child.id, "kind": child.kind}
        about["scene"] = scene_of(spec, child)
        for ev in service.events(child.id, cursor[i], 200):
            cursor[i] = ev.seq
            if ev.type == "progress":
                share = done_before(ev.created_at, child.id) + float(ev.data.get("progress") or 0) / 100
                overall = min(99, int(100 * share / total))
                add(
                    "progress",
                    {**ev.data, **about, "child_progress": ev.data.get("progress"), "progress": overall},
                )
                continue
            add("child", {**about, "status": ev.type, "error": ev.data.get("error")})
            if ev.type == "completed":
                stage = "export" if child.child_key == EXPORT_KEY else "project"
                done = done_before(ev.created_at, child.id) + 1
                overall = min(99, int(100 * done / total))
                add(
                    "progress",
                    {"job_id": job.id, "stage": stage, "step": done, "total": total, "progress": overall},
                )
    for ev in own:
        if ev.type in FINAL_EVENTS:
            cursor[0] = ev.seq
            add(ev.type, {"job_id": job.id, **ev.data})
    return out


async def follow(
    service: JobService,
    job: Job,
    cursor: list[int],
    final_view: Callable[[], Awaitable[dict[str, Any]]],
    poll_s: float = 0.5,
    ping_s: float = 15.0,
    wakeups: Wakeups | None = None,
) -> AsyncIterator[str]:
    """The job's interleaved events until its final one (whose data carries the job object); with
    ``wakeups``, until the server begins to stop (then a comment, ``STOPPING``)."""
    from starlette.concurrency import run_in_threadpool

    spec = payload(job)
    yield format_event("open", {"after": ".".join(map(str, cursor)) or "0"}, retry_ms=1000)
    last_ping = time.monotonic()
    shown = 0
    stop = asyncio.Event()  # set only by a stop: the logs are polled, no event wakes this stream
    while True:
        try:
            # The state first: a job already finished has every event in its logs when they are read.
            fresh = await run_in_threadpool(service.get, job.id)
            frames = await run_in_threadpool(_frames, service, job, spec, cursor)
        except JobNotFound:  # deleted while we streamed: nothing more will come
            return
        for name, data, event_id in frames:
            if name == "progress":
                # Logs are read one after another, so a scene running beside another can show an
                # earlier moment after a later one: the stream's percentage never goes back.
                data["progress"] = shown = max(shown, data["progress"])
            if name in FINAL_EVENTS:
                data["job"] = await final_view()
            yield f"id: {event_id}\n" + format_event(name, data)
            if name in FINAL_EVENTS:
                return
        if fresh.terminal and not frames:
            return
        if time.monotonic() - last_ping >= ping_s:
            last_ping = time.monotonic()
            yield ": ping\n\n"
        if wakeups is None:
            await anyio.sleep(poll_s)
        elif await wakeups.pause(stop, poll_s):
            yield STOPPING
            return

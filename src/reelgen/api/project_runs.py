"""``/v1/projects/{id}/render``, ``/export`` and ``/jobs/{job}``: project jobs started, followed and cancelled."""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool

from reelgen.api import project_jobs, sse
from reelgen.api.deps import IdempotencyKey, service_of, settings_of
from reelgen.api.errors import ApiError
from reelgen.api.lengths import shown
from reelgen.api.priority_cap import above_cap
from reelgen.api.project_files import wanted_files
from reelgen.api.project_jobs import (
    ProjectJob,
    base_url,
    folder_or_404,
    job_view,
    projects_of,
    refuse_busy,
)
from reelgen.core.atomic import NAME_MAX, name_too_long
from reelgen.core.export.settings import MAX_FPS, Codec, Container, Fit
from reelgen.core.spec.request import slow_rate
from reelgen.jobs.kinds.project import PROJECT, project_job
from reelgen.jobs.records import Job, JobNotFound
from reelgen.jobs.store import fingerprint

#: Included by ``reelgen.api.projects.router``, whose prefix, key check and error responses it takes.
router = APIRouter()

#: An event id of a project job's stream: one position per log, joined by dots (``3.5.0.7``).
_EVENT_ID = re.compile(r"[0-9]{1,18}(\.[0-9]{1,18})*")


class ExportChoices(BaseModel):
    """Export settings over the project file's (never re-renders a scene)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)  # NaN: "a finite number", not a bound

    container: Container | None = None
    codec: Codec | None = None
    width: int | None = Field(default=None, gt=0, le=8192)
    height: int | None = Field(default=None, gt=0, le=8192)
    fps: float | None = Field(default=None, gt=0, le=MAX_FPS)
    _slow_rate = field_validator("fps")(slow_rate)  # a frame per 100 s at the slowest
    fit: Fit | None = None
    crf: int | None = Field(default=None, ge=0, le=63)
    output: str | None = Field(default=None, max_length=255, description="File name in exports/")

    @field_validator("output")
    @classmethod
    def _no_backslash(cls, output: str | None) -> str | None:
        # "a\\b.mp4" was taken (a file name on this server) and exported, but GET .../exports/{name}
        # serves no name holding a backslash, so the film listed under the project answered 404; a
        # project file's export.output is refused so already (a Windows folder separator).
        if output is not None and "\\" in output:
            raise ValueError(
                f"{output!r} holds a backslash, a folder separator on Windows; give a plain file name "
                "such as film.mp4 (exports go in the project's exports/)"
            )
        # 255 characters of accented letters are 510 bytes: taken, the export then failed with a message
        # naming the server's own data folder.
        if output is not None and len(os.fsencode(output)) > NAME_MAX:
            raise ValueError(name_too_long(output))
        return output


def _true_or_false(value: Any) -> bool:
    """JSON true or false only: "yes" (or "no", or 1) was taken as true, so ``"force": "no"`` forced."""
    if not isinstance(value, bool):
        raise ValueError(
            f"{json.dumps(value)[:40]} is not true or false; give true or false (JSON, no quotes)"
        )
    return value


class RenderBody(BaseModel):
    """What to render: the stale scenes (or ``scenes`` by id; ``force``: again anyway), then maybe export."""

    model_config = ConfigDict(extra="forbid")

    scenes: list[str] | None = Field(default=None, max_length=1000)
    force: bool = False
    export: bool = False
    export_settings: ExportChoices = Field(default_factory=ExportChoices)
    allow_stale: bool = False
    _strict = field_validator("force", "export", "allow_stale", mode="before")(_true_or_false)
    # Bounded as every other job route's: -10**20 passed and the job store failed with a 500.
    priority: int = Field(default=0, ge=-1000, le=1000, description="Higher runs first")

    @field_validator("scenes")
    @classmethod
    def _names_some(cls, scenes: list[str] | None) -> list[str] | None:
        # An empty list was taken as no choice and rendered every stale scene: a client whose own
        # filter matched no scene queued the whole film.
        if scenes == []:
            raise ValueError(
                "an empty list names no scene; name the scene ids to render, or leave scenes out "
                "to render every stale scene"
            )
        return scenes


class ExportBody(BaseModel):
    """Export the rendered scenes; ``allow_stale`` uses a changed scene's last clip instead of refusing."""

    model_config = ConfigDict(extra="forbid")

    export_settings: ExportChoices = Field(default_factory=ExportChoices)
    allow_stale: bool = False
    _strict = field_validator("allow_stale", mode="before")(_true_or_false)
    # Bounded as every other job route's: -10**20 passed and the job store failed with a 500.
    priority: int = Field(default=0, ge=-1000, le=1000, description="Higher runs first")


async def _start(request: Request, project_id: str, body: Any, key: str | None, **what: Any) -> Response:
    service, projects = service_of(request), projects_of(request)
    cap = settings_of(request).max_priority
    if body.priority > cap:
        raise above_cap(body.priority, cap)
    body_fingerprint = fingerprint({"project": project_id, **what, "body": body.model_dump(mode="json")})

    def start() -> tuple[Job, bool]:
        with projects.changing():
            folder = folder_or_404(projects, project_id)
            if key is not None and (earlier := service.replay(key, body_fingerprint)) is not None:
                return earlier, True
            refuse_busy(request, project_id)
            # A project stored before ~ paths were refused at upload read them from the server's home.
            wanted_files(folder.load())
            overrides = body.export_settings.model_dump(mode="json", exclude_none=True)
            extra = {"scenes": body.scenes, "force": body.force} if what["render"] else {}
            spec = project_job(folder, **what, **extra, overrides=overrides, allow_stale=body.allow_stale)
            job = service.submit(
                spec,
                kind=PROJECT,
                priority=body.priority,
                idempotency_key=key,
                body_fingerprint=body_fingerprint,
            )
            projects.add_job(project_id, job.id)
            return job, False

    job, replayed = await run_in_threadpool(start)
    view = await run_in_threadpool(job_view, service, job, project_id, base_url(request))
    headers = {"Location": view.urls["self"], **({"Idempotent-Replayed": "true"} if replayed else {})}
    return Response(
        view.model_dump_json(),
        status_code=200 if replayed else 202,
        headers=headers,
        media_type="application/json",
    )


@router.post(
    "/projects/{project_id}/render", status_code=202, response_model=ProjectJob, summary="Render stale scenes"
)
async def render_project(
    request: Request,
    project_id: str,
    body: Annotated[RenderBody | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Renders the scenes whose clips are missing or stale, one child job per scene (per window of a
    long scene); with ``export``, then joins them into a film."""
    body = body or RenderBody()
    if not body.export:
        # Without an export they would be taken, not checked, and used by nothing.
        unused = [f"export_settings.{k}" for k in body.export_settings.model_dump(exclude_none=True)]
        unused += ["allow_stale"] if body.allow_stale else []
        if unused:
            raise ApiError(
                400,
                f'{", ".join(unused)}: only used with "export": true, which makes the film after the '
                "render; add it, or POST /v1/projects/{id}/export to export alone",
                param=unused[0],
            )
    return await _start(request, project_id, body, idempotency_key, render=True, export=body.export)


@router.post(
    "/projects/{project_id}/export", status_code=202, response_model=ProjectJob, summary="Export the film"
)
async def export_project(
    request: Request,
    project_id: str,
    body: Annotated[ExportBody | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Joins the rendered scenes into a film as an ``export`` child job; renders nothing. A failed
    export leaves the previous one in place."""
    return await _start(request, project_id, body or ExportBody(), idempotency_key, render=False, export=True)


def _job(request: Request, project_id: str, job_id: str) -> Job:
    projects = projects_of(request)
    folder_or_404(projects, project_id)
    if job_id not in (projects.meta(project_id).get("jobs") or []):
        raise ApiError(
            404, f"project {project_id} has no job {shown(job_id)}", param="job_id", code="not_found"
        )
    try:
        return service_of(request).get(job_id, kind=PROJECT)
    except JobNotFound:
        raise ApiError(404, f"job {job_id} was deleted", param="job_id", code="not_found") from None


@router.get("/projects/{project_id}/jobs/{job_id}", response_model=ProjectJob, summary="A project job")
def get_job(request: Request, project_id: str, job_id: str) -> ProjectJob:
    job = _job(request, project_id, job_id)
    return job_view(service_of(request), job, project_id, base_url(request))


@router.post(
    "/projects/{project_id}/jobs/{job_id}/cancel", response_model=ProjectJob, summary="Cancel a project job"
)
def cancel_job(request: Request, project_id: str, job_id: str) -> ProjectJob:
    """Stops its running child at the next denoising step or exported frame; finished scenes are kept."""
    service = service_of(request)
    job = service.cancel(_job(request, project_id, job_id).id)
    return job_view(service, job, project_id, base_url(request))


@router.delete(
    "/projects/{project_id}/jobs/{job_id}",
    summary="Delete a project job and its scene and export jobs (the project's clips and films stay)",
)
def delete_job(request: Request, project_id: str, job_id: str) -> dict[str, Any]:
    """As a batch's delete: a running one is stopped first. The clips, finished windows and exports it
    made are the project's (a later render reads them), so they stay; ``DELETE /v1/projects/{id}`` removes them.
    It was a 405 (``use GET``), though batches and shoot-outs have a delete and ``reelgen delete`` takes
    such an id."""
    service, projects = service_of(request), projects_of(request)
    with projects.changing():  # as the project's own delete: no render starts between the look and the delete
        job = _job(request, project_id, job_id)
        try:
            gone = service.delete(job.id)
        except JobNotFound:  # another request deleted it meanwhile
            raise ApiError(404, f"job {job_id} was deleted", param="job_id", code="not_found") from None
    return {"id": gone.id, "object": "project.job.deleted", "deleted": True}


@router.get(
    "/projects/{project_id}/jobs/{job_id}/events",
    summary="Live events of a project job and its children (SSE); Last-Event-ID resumes",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def job_events(
    request: Request,
    project_id: str,
    job_id: str,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=4000)] = None,
    after: Annotated[
        str | None,
        # The pattern is only documented (the route says what is wrong in its own words): the schema
        # said any text up to 4000 characters, and "abc" or a part of 19 digits was a 400.
        Query(
            max_length=4000,
            description="Resume after this event id (whole numbers joined by dots, such as 3.5.0.7)",
            json_schema_extra={"pattern": f"^{_EVENT_ID.pattern}$"},
        ),
    ] = None,
) -> StreamingResponse:
    sse.refuse_two_last_event_ids(request.headers)
    if after is not None and not _EVENT_ID.fullmatch(after):
        # It was read as "from the beginning" without a word, where a video's ?after=abc is a 400.
        raise ApiError(
            400,
            f"after: {after[:40]!r} is no event id of this stream; give an id it sent (whole numbers "
            "joined by dots, such as 3.5.0.7), or leave after out to start from the beginning",
            param="after",
            code="invalid_value",
        )
    service = service_of(request)
    job = await run_in_threadpool(_job, request, project_id, job_id)
    cursor = project_jobs.parse_cursor(last_event_id or after)

    async def final_view() -> dict[str, Any]:
        fresh = await run_in_threadpool(service.get, job.id)
        view = await run_in_threadpool(job_view, service, fresh, project_id, base_url(request))
        return view.model_dump(mode="json")

    async def stream() -> AsyncIterator[str]:
        async for frame in project_jobs.follow(
            service, job, cursor, final_view, wakeups=request.app.state.wakeups
        ):
            yield frame

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

"""``/v1/projects``: storyboards kept by the server, rendered and exported through the job system.

    POST   /v1/projects                       project file (+ its input files) -> 201 project
    GET    /v1/projects, /v1/projects/{id}    each scene rendered, stale, missing or card; exports
    PUT    /v1/projects/{id}                  replace the project file (and add uploads)
    DELETE /v1/projects/{id}                  cancels its running job, removes it and its jobs
    POST   /v1/projects/{id}/render           a ``project`` job: stale scenes (``export``: then a film)
    POST   /v1/projects/{id}/export           a ``project`` job that renders nothing and exports
    GET    /v1/projects/{id}/jobs/{job}       status; ``/events`` (SSE), ``/cancel``
    GET    /v1/projects/{id}/exports/{name}   the film (HTTP Range); ``/clips/{key}`` a scene's clip

A create or update is JSON (``{"project": <the file's text, or its object>}``)
or multipart: a ``project`` field (text or file) and ``files`` parts, each
named by the relative path the project file uses (``assets/music.mp3``).
Bad input is a 400 naming the scene and field (``scenes[2].prompt``).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from reelgen.api import project_jobs
from reelgen.api.deps import IdempotencyKey, authorized, service_of, settings_of
from reelgen.api.errors import ApiError
from reelgen.api.project_files import ProjectNotFound, ServerProjects
from reelgen.api.project_jobs import ProjectJob, job_view
from reelgen.api.schemas import ErrorEnvelope
from reelgen.core.errors import ReelgenError, from_validation_error
from reelgen.core.export.settings import Codec, Container, Fit
from reelgen.core.project.folder import ProjectFolder
from reelgen.core.project.status import status as scene_states
from reelgen.jobs.kinds.project import PROJECT, project_job
from reelgen.jobs.records import Job, JobNotFound
from reelgen.jobs.service import JobService
from reelgen.jobs.store import fingerprint

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
router = APIRouter(prefix="/v1", tags=["projects"], dependencies=[Depends(authorized)], responses=ERRORS)

_MEDIA = {".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm", ".json": "application/json"}
_FILE_NAME = re.compile(r"^[^/\\]+\.(mp4|mov|webm|json)$")
_KEY = re.compile(r"^[0-9a-f]{8,64}$")


class ExportChoices(BaseModel):
    """Export settings over the project file's (never re-renders a scene)."""

    model_config = ConfigDict(extra="forbid")

    container: Container | None = None
    codec: Codec | None = None
    width: int | None = Field(default=None, gt=0, le=8192)
    height: int | None = Field(default=None, gt=0, le=8192)
    fps: float | None = Field(default=None, gt=0, le=240)
    fit: Fit | None = None
    crf: int | None = Field(default=None, ge=0, le=63)
    output: str | None = Field(default=None, max_length=255, description="File name in exports/")


class RenderBody(BaseModel):
    """What to render: the stale scenes (or ``scenes`` by id; ``force``: again anyway), then maybe export."""

    model_config = ConfigDict(extra="forbid")

    scenes: list[str] | None = Field(default=None, max_length=1000)
    force: bool = False
    export: bool = False
    export_settings: ExportChoices = Field(default_factory=ExportChoices)
    allow_stale: bool = False
    priority: int = 0


class ExportBody(BaseModel):
    """Export the rendered scenes; ``allow_stale`` uses a changed scene's last clip instead of refusing."""

    model_config = ConfigDict(extra="forbid")

    export_settings: ExportChoices = Field(default_factory=ExportChoices)
    allow_stale: bool = False
    priority: int = 0


def projects_of(request: Request) -> ServerProjects:
    found = getattr(request.app.state, "projects", None)
    if found is None:
        found = request.app.state.projects = ServerProjects(
            service_of(request).settings.data_dir / "projects"
        )
    return found


def _folder(projects: ServerProjects, project_id: str) -> ProjectFolder:
    try:
        return projects.folder(project_id)
    except ProjectNotFound as exc:
        raise ApiError(404, exc.message, param="project_id", code="not_found") from None


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# ---- reading a create or update ---------------------------------------------------------------


async def _read_upload(request: Request) -> tuple[str, dict[str, bytes]]:
    """The project file's text and the uploaded files by relative path, from JSON or multipart."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=256, max_fields=16)
        text: str | None = None
        files: dict[str, bytes] = {}
        for key, value in form.multi_items():
            if key == "project":
                text = (
                    (await value.read()).decode("utf-8", "replace")
                    if isinstance(value, UploadFile)
                    else value
                )
            elif key == "files" and isinstance(value, UploadFile):
                if not value.filename:
                    raise ApiError(
                        400,
                        "files: each upload needs its path in the project as its file name",
                        param="files",
                    )
                files[value.filename] = await value.read()
            else:
                raise ApiError(400, f"{key}: unknown field; send project and files", param=key)
        if text is None:
            raise ApiError(400, "project: the project file is missing", param="project")
        return text, files
    if kind in ("application/json", ""):
        try:
            data = json.loads(await request.body() or b"null")
        except ValueError as exc:
            raise ApiError(400, f"request body is not valid JSON ({exc})") from None
        project = data.get("project") if isinstance(data, dict) else None
        if isinstance(project, dict):
            return yaml.safe_dump(project, sort_keys=False), {}
        if isinstance(project, str):
            return project, {}
        raise ApiError(
            400, "project: give the project file's text, or its content as an object", param="project"
        )
    raise ApiError(
        415, f"content type {kind!r} is not accepted; send application/json or multipart/form-data"
    )


def _parse(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        err = from_validation_error(exc)
        raise ApiError(400, err.message, param=err.param, code="invalid_value") from None


# ---- the project object ----------------------------------------------------------------------


def _latest_job(service: JobService, meta: dict[str, Any]) -> Job | None:
    for job_id in reversed(meta.get("jobs") or []):
        try:
            return service.get(job_id, kind=PROJECT)
        except JobNotFound:
            continue
    return None


def present(request: Request, project_id: str) -> dict[str, Any]:
    """The project object: title, scenes with their state, input files, exports and its latest job."""
    service, projects, base = service_of(request), projects_of(request), _base(request)
    folder = _folder(projects, project_id)
    meta = projects.meta(project_id)
    scenes: list[dict[str, Any]] = []
    problem = None
    try:
        title = folder.load().title
        scenes = [
            {**{k: v for k, v in s.__dict__.items() if k != "clip"}, "status": s.status.value}
            for s in scene_states(folder)
        ]
    except ReelgenError as exc:  # a model uninstalled since, say: shown, not a failed GET
        title = ""
        problem = {"message": exc.message, "param": exc.param}
    exports = [
        {
            "name": p.name,
            "bytes": p.stat().st_size,
            "url": f"{base}/v1/projects/{project_id}/exports/{p.name}",
        }
        for p in sorted(folder.exports.glob("*"))
        if p.is_file() and p.suffix in (".mp4", ".mov", ".webm")
    ]
    latest = _latest_job(service, meta)
    return {
        "id": project_id,
        "object": "project",
        "title": title,
        "created_at": int(meta["created_at"]),
        "updated_at": int(meta["updated_at"]),
        "scenes": scenes,
        "problem": problem,
        "files": projects.uploads(project_id) if problem is None else [],
        "exports": exports,
        "job": None if latest is None else job_view(service, latest, project_id, base).model_dump(),
    }


@router.post("/projects", status_code=201, summary="Create a project from its file and input files")
async def create_project(request: Request) -> dict[str, Any]:
    text, files = await _read_upload(request)
    projects = projects_of(request)
    project_id = await run_in_threadpool(projects.create, text, files)
    return await run_in_threadpool(present, request, project_id)


@router.get("/projects", summary="List projects")
def list_projects(request: Request) -> dict[str, Any]:
    data = [present(request, project_id) for project_id in projects_of(request).ids()]
    return {"object": "list", "data": data}


@router.get("/projects/{project_id}", summary="A project, with each scene's state")
def get_project(request: Request, project_id: str) -> dict[str, Any]:
    return present(request, project_id)


def _busy(request: Request, project_id: str) -> Job | None:
    latest = _latest_job(service_of(request), projects_of(request).meta(project_id))
    return latest if latest is not None and not latest.terminal else None


def _refuse_busy(request: Request, project_id: str) -> None:
    job = _busy(request, project_id)
    if job is not None:
        raise ApiError(
            409,
            f"project {project_id} has job {job.id} {job.status.value}; wait for it or cancel it first",
            param="project_id",
            code="project_busy",
        )


@router.put("/projects/{project_id}", summary="Replace the project file (and add input files)")
async def update_project(request: Request, project_id: str) -> dict[str, Any]:
    text, files = await _read_upload(request)
    projects = projects_of(request)
    _folder(projects, project_id)

    def update() -> None:
        with projects.changing():
            _refuse_busy(request, project_id)
            projects.update(project_id, text, files)

    await run_in_threadpool(update)
    return await run_in_threadpool(present, request, project_id)


@router.delete("/projects/{project_id}", summary="Delete a project, its clips, exports and jobs")
def delete_project(request: Request, project_id: str) -> dict[str, Any]:
    service, projects = service_of(request), projects_of(request)
    _folder(projects, project_id)
    with projects.changing():
        for job_id in projects.meta(project_id).get("jobs") or []:
            with contextlib.suppress(JobNotFound):
                service.delete(job_id)  # a running one is cancelled first, its children with it
        projects.delete(project_id)
    return {"id": project_id, "object": "project.deleted", "deleted": True}


# ---- jobs ------------------------------------------------------------------------------------


async def _start(request: Request, project_id: str, body: Any, key: str | None, **what: Any) -> Response:
    service, projects = service_of(request), projects_of(request)
    cap = settings_of(request).max_priority
    if body.priority > cap:
        raise ApiError(400, f"priority {body.priority} is above this server's cap of {cap}", param="priority")
    body_fingerprint = fingerprint({"project": project_id, **what, "body": body.model_dump(mode="json")})

    def start() -> tuple[Job, bool]:
        with projects.changing():
            folder = _folder(projects, project_id)
            if key is not None and (earlier := service.replay(key, body_fingerprint)) is not None:
                return earlier, True
            _refuse_busy(request, project_id)
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
    view = await run_in_threadpool(job_view, service, job, project_id, _base(request))
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
    request: Request, project_id: str, idempotency_key: IdempotencyKey = None
) -> Response:
    """Renders the scenes whose clips are missing or stale, one child job per scene (per window of a
    long scene); with ``export``, then joins them into a film."""
    body = _parse(RenderBody, await _json(request))
    return await _start(request, project_id, body, idempotency_key, render=True, export=body.export)


@router.post(
    "/projects/{project_id}/export", status_code=202, response_model=ProjectJob, summary="Export the film"
)
async def export_project(
    request: Request, project_id: str, idempotency_key: IdempotencyKey = None
) -> Response:
    """Joins the rendered scenes into a film as an ``export`` child job; renders nothing. A failed
    export leaves the previous one in place."""
    body = _parse(ExportBody, await _json(request))
    return await _start(request, project_id, body, idempotency_key, render=False, export=True)


async def _json(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        raise ApiError(400, f"request body is not valid JSON ({exc})") from None


def _job(request: Request, project_id: str, job_id: str) -> Job:
    projects = projects_of(request)
    _folder(projects, project_id)
    if job_id not in (projects.meta(project_id).get("jobs") or []):
        raise ApiError(404, f"project {project_id} has no job {job_id!r}", param="job_id", code="not_found")
    try:
        return service_of(request).get(job_id, kind=PROJECT)
    except JobNotFound:
        raise ApiError(404, f"job {job_id} was deleted", param="job_id", code="not_found") from None


@router.get("/projects/{project_id}/jobs/{job_id}", response_model=ProjectJob, summary="A project job")
def get_job(request: Request, project_id: str, job_id: str) -> ProjectJob:
    job = _job(request, project_id, job_id)
    return job_view(service_of(request), job, project_id, _base(request))


@router.post(
    "/projects/{project_id}/jobs/{job_id}/cancel", response_model=ProjectJob, summary="Cancel a project job"
)
def cancel_job(request: Request, project_id: str, job_id: str) -> ProjectJob:
    """Stops its running child at the next denoising step or exported frame; finished scenes are kept."""
    service = service_of(request)
    job = service.cancel(_job(request, project_id, job_id).id)
    return job_view(service, job, project_id, _base(request))


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
    after: Annotated[str | None, Query(max_length=4000, description="Resume after this event id")] = None,
) -> StreamingResponse:
    service = service_of(request)
    job = await run_in_threadpool(_job, request, project_id, job_id)
    cursor = project_jobs.parse_cursor(last_event_id or after)

    async def final_view() -> dict[str, Any]:
        fresh = await run_in_threadpool(service.get, job.id)
        view = await run_in_threadpool(job_view, service, fresh, project_id, _base(request))
        return view.model_dump(mode="json")

    async def stream() -> AsyncIterator[str]:
        async for frame in project_jobs.follow(service, job, cursor, final_view):
            yield frame

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


# ---- files -----------------------------------------------------------------------------------


@router.get(
    "/projects/{project_id}/exports/{name}", response_class=FileResponse, summary="Download an export (Range)"
)
def export_file(request: Request, project_id: str, name: str) -> FileResponse:
    folder = _folder(projects_of(request), project_id)
    path = folder.exports / name
    if not _FILE_NAME.match(name) or not path.is_file():
        raise ApiError(404, f"project {project_id} has no export {name!r}", param="name", code="not_found")
    return FileResponse(
        path, media_type=_MEDIA[path.suffix], filename=name, content_disposition_type="inline"
    )


@router.get(
    "/projects/{project_id}/clips/{key}", response_class=FileResponse, summary="Download a scene's clip"
)
def clip_file(
    request: Request,
    project_id: str,
    key: str,
    variant: Annotated[str, Query(pattern="^(video|metadata)$")] = "video",
) -> FileResponse:
    """The clip a scene was rendered to (``status`` names its key), or its record with ``variant=metadata``."""
    folder = _folder(projects_of(request), project_id)
    path = folder.clip(key) if _KEY.match(key) else folder.clips / "-"
    path = path if variant == "video" else path.with_suffix(".json")
    if not path.is_file():
        raise ApiError(404, f"project {project_id} has no clip {key!r}", param="key", code="not_found")
    return FileResponse(path, media_type=_MEDIA[path.suffix], filename=path.name)

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
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from reelgen.api import project_runs
from reelgen.api.deps import authorized, service_of
from reelgen.api.errors import ApiError
from reelgen.api.files import FileAnswer
from reelgen.api.lengths import shown
from reelgen.api.project_files import ProjectNotFound, ServerProjects
from reelgen.api.project_jobs import (
    ERRORS,
    base_url,
    export_url,
    folder_or_404,
    job_view,
    latest_job,
    projects_of,
    refuse_busy,
)
from reelgen.api.project_upload import read_upload
from reelgen.api.schemas import ErrorEnvelope
from reelgen.core.errors import ReelgenError
from reelgen.core.project.status import status as scene_states
from reelgen.jobs.records import JobNotFound

router = APIRouter(prefix="/v1", tags=["projects"], dependencies=[Depends(authorized)], responses=ERRORS)

_MEDIA = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".mkv": "video/x-matroska",
    ".webm": "video/webm",
    ".json": "application/json",
}
#: Any case: ``export_settings.output: Film.MP4`` is taken, and its film was then neither listed nor served.
_FILE_NAME = re.compile(r"^[^/\\\x00]+\.(mp4|mov|mkv|webm|json)$", re.IGNORECASE)
_KEY = re.compile(r"^[0-9a-f]{8,64}$")

#: What a create or update takes (the routes read the body themselves: JSON or multipart).
_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "project": {
                            "description": "The project file: its YAML or JSON text, or its content as an object",
                            "anyOf": [{"type": "string"}, {"type": "object"}],
                        }
                    },
                    "required": ["project"],
                    "additionalProperties": False,
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "project": {"type": "string", "description": "The project file (YAML or JSON)"},
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "Input files, each named by its path in the project (assets/music.mp3)",
                        },
                    },
                    "required": ["project"],
                }
            },
        },
    }
}


# ---- the project object ----------------------------------------------------------------------


def present(request: Request, project_id: str) -> dict[str, Any]:
    """The project object: title, scenes with their state, input files, exports and its latest job."""
    service, projects, base = service_of(request), projects_of(request), base_url(request)
    folder = folder_or_404(projects, project_id)
    meta = projects.meta(project_id)
    scenes: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    problem = None
    try:
        title = folder.load().title
        scenes = [
            {**{k: v for k, v in s.__dict__.items() if k != "clip"}, "status": s.status.value}
            for s in scene_states(folder)
        ]
        # Inside: a project stored with a path now refused (~/logo.png) made every GET and the list a 400.
        files = projects.uploads(project_id)
    except ReelgenError as exc:  # a model uninstalled since, say: shown, not a failed GET
        title = ""
        problem = {"message": exc.message, "param": exc.param}
    exports = [
        {
            "name": p.name,
            "bytes": p.stat().st_size,
            "url": export_url(base, project_id, p.name),
        }
        for p in sorted(folder.exports.glob("*"))
        if p.is_file() and p.suffix.lower() in (".mp4", ".mov", ".mkv", ".webm")
    ]
    latest = latest_job(service, meta)
    return {
        "id": project_id,
        "object": "project",
        "title": title,
        "created_at": int(meta["created_at"]),
        "updated_at": int(meta["updated_at"]),
        "scenes": scenes,
        "problem": problem,
        "files": files,
        "exports": exports,
        "job": None if latest is None else job_view(service, latest, project_id, base).model_dump(),
    }


@router.post(
    "/projects",
    status_code=201,
    summary="Create a project from its file and input files",
    openapi_extra=_UPLOAD_DOC,
)
async def create_project(request: Request) -> dict[str, Any]:
    text, files = await read_upload(request)
    projects = projects_of(request)
    project_id = await run_in_threadpool(projects.create, text, files)
    return await run_in_threadpool(present, request, project_id)


@router.get(
    "/projects",
    summary="List projects",
    responses={
        400: {
            "model": ErrorEnvelope,
            "description": "A limit outside 1..100, an order other than asc or desc, or an after naming "
            "no project",
        }
    },
)
def list_projects(
    request: Request,
    after: Annotated[str | None, Query(description="Id of the last project of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
) -> dict[str, Any]:
    """Newest first by default (by when each was made; ``asc``: oldest first), as ``GET /v1/videos``
    pages: ``data``, ``first_id``, ``last_id`` and ``has_more``; pass ``last_id`` as ``after`` for the
    next page."""
    projects = projects_of(request)
    made: list[tuple[float, str]] = []
    for project_id in projects.ids():
        with contextlib.suppress(ProjectNotFound):  # deleted since it was listed: not on the page
            made.append((float(projects.meta(project_id)["created_at"]), project_id))
    # By creation, not by the file's time: an update moved a project and a page boundary with it.
    made.sort(reverse=order == "desc")
    ids = [project_id for _, project_id in made]
    start = 0
    if after is not None:
        if after not in ids:
            raise ApiError(
                400,
                f"after: no project {after!r} to continue from; list again without after, or from a "
                "project that still exists",
                param="after",
                code="invalid_value",
            )
        start = ids.index(after) + 1
    page = (_still_there(request, project_id) for project_id in ids[start : start + limit])
    data = [project for project in page if project is not None]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": len(ids) > start + limit,
    }


def _still_there(request: Request, project_id: str) -> dict[str, Any] | None:
    """The project object, or None for one deleted while the list was read (it was a 404 for the list)."""
    try:
        return present(request, project_id)
    except ProjectNotFound:
        return None
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise


@router.get("/projects/{project_id}", summary="A project, with each scene's state")
def get_project(request: Request, project_id: str) -> dict[str, Any]:
    return present(request, project_id)


@router.put(
    "/projects/{project_id}",
    summary="Replace the project file (and add input files)",
    openapi_extra=_UPLOAD_DOC,
)
async def update_project(request: Request, project_id: str) -> dict[str, Any]:
    text, files = await read_upload(request)
    projects = projects_of(request)
    folder_or_404(projects, project_id)

    def update() -> None:
        with projects.changing():
            refuse_busy(request, project_id)
            projects.update(project_id, text, files)

    await run_in_threadpool(update)
    return await run_in_threadpool(present, request, project_id)


@router.delete("/projects/{project_id}", summary="Delete a project, its clips, exports and jobs")
def delete_project(request: Request, project_id: str) -> dict[str, Any]:
    service, projects = service_of(request), projects_of(request)
    folder_or_404(projects, project_id)
    with projects.changing():
        for job_id in projects.meta(project_id).get("jobs") or []:
            with contextlib.suppress(JobNotFound):
                service.delete(job_id)  # a running one is stopped, its children with it
        projects.delete(project_id)
    return {"id": project_id, "object": "project.deleted", "deleted": True}


# ---- jobs: reelgen.api.project_runs ------------------------------------------------------------------------------------


# ---- files -----------------------------------------------------------------------------------


#: What a file download answers besides 200 (``FileAnswer``), so /openapi.json lists each, as for a video's content.
_FILE_ANSWERS: dict[int | str, dict[str, Any]] = {
    206: {"description": "Partial content (a Range request)"},
    304: {"description": "Not modified: If-None-Match names its ETag, or If-Modified-Since"},
    416: {"description": "The Range names no byte of the file"},
}


@router.get(
    "/projects/{project_id}/exports/{name}",
    response_class=FileResponse,
    summary="Download an export (Range)",
    responses=_FILE_ANSWERS,
)
def export_file(request: Request, project_id: str, name: str) -> FileResponse:
    projects = projects_of(request)
    folder = folder_or_404(projects, project_id)
    path = folder.exports / name
    if not _FILE_NAME.match(name) or not path.is_file() or not _in_project(projects, project_id, path):
        raise ApiError(
            404, f"project {project_id} has no export {shown(name)}", param="name", code="not_found"
        )
    return FileAnswer(
        path, media_type=_MEDIA[path.suffix.lower()], filename=name, content_disposition_type="inline"
    )


@router.get(
    "/projects/{project_id}/clips/{key}",
    response_class=FileResponse,
    summary="Download a scene's clip",
    responses=_FILE_ANSWERS,
)
def clip_file(
    request: Request,
    project_id: str,
    key: str,
    # A Literal, not a pattern: "String should match pattern '^(video|metadata)$'" was what a typo heard.
    variant: Literal["video", "metadata"] = "video",
) -> FileResponse:
    """The clip a scene was rendered to (``status`` names its key), or its record with ``variant=metadata``."""
    projects = projects_of(request)
    folder = folder_or_404(projects, project_id)
    path = folder.clip(key) if _KEY.match(key) else folder.clips / "-"
    path = path if variant == "video" else path.with_suffix(".json")
    if not path.is_file() or not _in_project(projects, project_id, path):
        raise ApiError(404, f"project {project_id} has no clip {shown(key)}", param="key", code="not_found")
    return FileAnswer(path, media_type=_MEDIA[path.suffix], filename=path.name)


def _in_project(projects: ServerProjects, project_id: str, path: Path) -> bool:
    """Whether ``path`` lies in the project's own folder: a linked ``exports/`` or ``clips/`` (a link to
    another place, planted) served whatever it pointed at, as a linked file no longer was."""
    return path.resolve().is_relative_to(projects.root.resolve() / project_id)


router.include_router(project_runs.router)

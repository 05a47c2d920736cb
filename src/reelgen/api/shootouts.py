"""``/v1/shootouts``: every model on every prompt as a ``shootout`` job, ending with the HTML report and its numbers.

    POST /v1/shootouts {"models": ["ltx-tiny", "wan-tiny"], "prompts": {"prompts": ["a fox"]},
                        "input_folder": "/data/compare", "output_folder": "/data/compare/report"}
    GET  /v1/shootouts/{shootout_id}/report      report.html, once completed
    GET  /v1/shootouts/{shootout_id}/results     results.json, every number

Trials run one at a time, so no two share a GPU and their timings are fair.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool

from reelgen.api.deps import IdempotencyKey, authorized, service_of
from reelgen.api.errors import ApiError
from reelgen.api.fanout import (
    ERRORS,
    Children,
    ParentCreate,
    ParentRoutes,
    ParentUrls,
    RequestCounts,
    check_priority,
    counts,
    created,
    parent_of,
    planned_ends,
    progress,
    server_folder,
    statuses,
    submit_planned,
    urls,
    whole,
    writable_folder,
)
from reelgen.api.files import FileAnswer
from reelgen.api.parent_folder import (
    claiming_folders,
    refuse_a_busy_folder,
    refuse_a_locked_folder,
    taken_back_if_refused,
)
from reelgen.api.schemas import Status, VideoError
from reelgen.core.batch.summary import ItemOutcome
from reelgen.core.errors import ReelgenError
from reelgen.core.media import load_image
from reelgen.core.shootout.lock import LOCK_FILE, held_words
from reelgen.core.shootout.plan import plan_shootout
from reelgen.core.shootout.report import foreign_report
from reelgen.core.shootout.spec import PromptsFile
from reelgen.jobs.kinds.shootout import NAME as SHOOTOUT
from reelgen.jobs.kinds.shootout import ShootoutPayload
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.store import fingerprint

#: The most models one shoot-out compares.
MAX_MODELS = 32
#: What ``models`` takes, in words.
MODELS_TAKES = (
    f'1 to {MAX_MODELS} model names to compare, e.g. ["ltx-tiny", "wan-tiny"] (GET /v1/models lists them)'
)

router = APIRouter(prefix="/v1", tags=["shootouts"], dependencies=[Depends(authorized)], responses=ERRORS)


class ShootoutCreate(ParentCreate):
    """Models, the prompts file's content, and the server folders it reads from and writes to."""

    model_config = ConfigDict(extra="forbid")

    models: list[str] = Field(
        min_length=1, max_length=MAX_MODELS, description="models to compare, in this order"
    )
    prompts: PromptsFile = Field(
        description="the prompts file's content: `reelgen shootout --help` lists its keys"
    )
    input_folder: str | None = Field(
        default=None,
        max_length=4096,
        description="absolute: prompts' image paths start here (needed only when a prompt names an image)",
    )
    images: list[str] = Field(
        default_factory=list, max_length=256, description="absolute start images, one per prompt in turn"
    )
    output_folder: str = Field(max_length=4096, description="absolute: the report folder")
    price_per_gpu_hour: float | None = Field(default=None, ge=0, description="default: the prompts file's")

    @field_validator("models", mode="before")
    @classmethod
    def _one_to_32_models(cls, value: Any) -> Any:
        # Pydantic said "List should have at least 1 item after validation, not 0": not what to give.
        if isinstance(value, list) and not 1 <= len(value) <= MAX_MODELS:
            raise ValueError(f"{len(value)} given; give {MODELS_TAKES}")
        # The CLI's "-m ltx-tiny,wan-tiny" sent as it is heard "Input should be a valid list", and as
        # one name in a list "unknown model 'ltx-tiny,wan-tiny'".
        for given in value if isinstance(value, list) else [value]:
            names = [n.strip() for n in given.split(",") if n.strip()] if isinstance(given, str) else []
            if len(names) > 1:
                raise ValueError(
                    f"{json.dumps(given)} names several models in one text; give each its own, "
                    f"e.g. {json.dumps(names)}"
                )
        if not isinstance(value, list):
            raise ValueError(f"{json.dumps(value)[:80]} is not a list; give {MODELS_TAKES}")
        # By position, not by value: a null in the list was the "none found" of next() and went on to
        # .strip() (a 500, AttributeError), where 1 or [] was told it is not a model name.
        wrong = [v for v in value if not isinstance(v, str)]
        if wrong:
            raise ValueError(f"{json.dumps(wrong[0])[:80]} is not a model name; give {MODELS_TAKES}")
        # As a video request's model is: " ltx-tiny" was an unknown model "did you mean ltx-tiny".
        return [v.strip() for v in value]


class ShootoutUrls(ParentUrls):
    report: str
    results: str


class ShootoutObject(BaseModel):
    """A shoot-out job; ``ranking``, ``trials`` and the report's paths arrive with ``completed``."""

    id: str
    object: Literal["shootout"] = "shootout"
    status: Status
    models: list[str]
    prompts: list[str]
    progress: int = Field(ge=0, le=100)
    created_at: int
    started_at: int | None = None
    completed_at: int | None = None
    output_folder: str
    request_counts: RequestCounts
    ranking: list[dict[str, Any]] | None = None
    planned_ends: list[ItemOutcome] = Field(
        default=[],
        description="while it runs: the trials that failed as the server planned them (they get no "
        "job), each by its key (output) with the error its trials will say",
    )
    trials: list[dict[str, Any]] | None = None
    report_file: str | None = None
    results_file: str | None = None
    error: VideoError | None = None
    priority: int = 0
    metadata: dict[str, str] | None = None
    urls: ShootoutUrls


class ShootoutList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ShootoutObject]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool


def present(request: Request, job: Job, children: Children) -> ShootoutObject:
    payload, result = job.payload, job.result or {}
    models = [str(m) for m in payload.get("models", [])]
    prompts = [str(p.get("id")) for p in payload.get("prompts", {}).get("prompts", [])]
    links = urls(request, SHOOTOUT, job.id)
    return ShootoutObject(
        id=job.id,
        status=job.status.value,
        models=models,
        prompts=prompts,
        progress=progress(job, children, total=len(models) * len(prompts)),
        created_at=int(job.created_at),
        started_at=whole(job.started_at),
        completed_at=whole(job.completed_at),
        output_folder=str(payload.get("output_folder", "")),
        request_counts=counts(len(models) * len(prompts), children, job),
        ranking=result.get("ranking"),
        planned_ends=planned_ends(job),
        trials=result.get("trials"),
        report_file=result.get("report_file"),
        results_file=result.get("results_file"),
        error=VideoError(**job.error) if job.error else None,
        priority=job.priority,
        metadata={str(k): str(v) for k, v in job.metadata.items()} or None,
        urls=ShootoutUrls(**links, report=f"{links['self']}/report", results=f"{links['self']}/results"),
    )


def shootout_payload(body: ShootoutCreate) -> ShootoutPayload:
    """The job's payload: every path under the batch roots, the trials planned once here to refuse typos."""
    out = server_folder(body.output_folder, "output_folder")
    empty = next((i for i, name in enumerate(body.models) if not name), None)
    if empty is not None:  # the registry's "the model name '' is empty" named no place in the list
        raise ApiError(400, f"models[{empty}] is empty; give {MODELS_TAKES}", param=f"models[{empty}]")
    named = [i for i, entry in enumerate(body.prompts.prompts) if entry.image is not None]
    if body.input_folder is None and named:
        raise ApiError(
            400,
            f"prompts.prompts[{named[0]}].image is a path from input_folder; give input_folder (absolute)",
            param="input_folder",
        )
    # With no relative image to find, the report folder stands in as the base: nothing is read from it.
    base = server_folder(body.input_folder, "input_folder") if body.input_folder is not None else out
    # Checked only when an image is read from it: the page sends the report folder, which may not be
    # made yet, as input_folder when none is given.
    if named and not base.is_dir():  # else each image "does not exist" under it
        what = "is a file" if base.exists() else "does not exist"
        raise ApiError(
            400,
            f"input_folder: {base} {what}; give the folder the prompts' image paths start from",
            param="input_folder",
        )
    images = [str(server_folder(image, f"images[{i}]")) for i, image in enumerate(body.images)]
    for i in named:
        own = Path(str(body.prompts.prompts[i].image)).expanduser()  # as the plan reads it
        server_folder(str(base / own), f"prompts.prompts[{i}].image")
    try:
        plan_shootout(body.models, body.prompts, base_dir=base, images=images)
        # A file that is no image (a text file named .png) failed every trial given it, and the
        # shoot-out "completed" with nothing compared; the CLI reads its --images up front too.
        for i, image in enumerate(images):  # the prompts' own images are read by the plan
            load_image(image, param=f"images[{i}]")
    except ReelgenError as exc:
        raise _in_body_words(exc) from None
    writable_folder(out, "output_folder")
    if (foreign := foreign_report(out)) is not None:  # a 202 whose job replaced the person's file
        raise ApiError(
            400,
            f"output_folder: {out} holds a {foreign.name} that is not a shoot-out's, and the report would "
            "replace it; move that file, or give another folder",
            param="output_folder",
        )
    return ShootoutPayload(
        models=body.models,
        prompts=body.prompts,
        input_folder=str(base),
        images=images,
        output_folder=str(out),
        price_per_gpu_hour=body.price_per_gpu_hour,
    )


def _in_body_words(exc: ReelgenError) -> ApiError:
    """The plan's error naming the body's field: a prompts file's ``prompts[0].image`` is this body's
    ``prompts.prompts[0].image``, as the folder checks above name it."""
    param, message = exc.param, exc.message
    if param is not None and param.startswith("models[") and not message.startswith(param):
        message = f"{param}: {message}"  # "unknown model 'x'" with param models left the list to search
    if param is not None and param.startswith("prompts["):
        message = f"prompts.{message}" if message.startswith(param) else message
        param = f"prompts.{param}"
    return ApiError(400, message, param=param, code=exc.code)


@router.post(
    "/shootouts",
    status_code=202,
    response_model=ShootoutObject,
    summary="Run a shoot-out",
    responses={200: {"model": ShootoutObject, "description": "Idempotent replay of an earlier create"}},
)
async def create_shootout(
    request: Request, body: ShootoutCreate, idempotency_key: IdempotencyKey = None
) -> Response:
    """Queue every model on every prompt (one trial at a time); the report is written when all have ended."""
    check_priority(request, body)
    service = service_of(request)
    body_fingerprint = fingerprint({"shootout": body.model_dump(mode="json")})

    def submit() -> tuple[Job, bool]:
        if idempotency_key is not None:
            existing = service.replay(idempotency_key, body_fingerprint)
            if existing is not None:
                return existing, True
        # Two requests with one key at once: the store answers the loser with the winner's job, which
        # is a replay (200, Idempotent-Replayed) as a later retry's is, not a 202 as if it were new.
        with taken_back_if_refused():  # a refusal below leaves no report folder made for it
            payload = shootout_payload(body)
            with claiming_folders():
                refuse_a_busy_folder(service, payload.output_folder, idempotency_key, SHOOTOUT, "its report")
                # A retry whose first request's job was made, and took the folder, while this one was
                # planned is that job's replay, not a shoot-out refused by its own lock.
                if idempotency_key is not None:
                    existing = service.replay(idempotency_key, body_fingerprint)
                    if existing is not None:
                        return existing, True
                # Held by a run outside this server's jobs (an in-process `reelgen shootout`).
                refuse_a_locked_folder(payload.output_folder, LOCK_FILE, held_words)
                return service.submit_or_replay(
                    payload,
                    kind=SHOOTOUT,
                    priority=body.priority,
                    idempotency_key=idempotency_key,
                    body_fingerprint=body_fingerprint,
                    metadata=body.metadata,
                )

    job, replayed = await submit_planned(request, submit)
    children = await run_in_threadpool(statuses, service, job.id)
    obj = present(request, job, children)
    return created(obj, obj.urls.self, replayed)


#: As the shoot-out's other routes take it: any length was taken, and a 3000-character id was told
#: a 404 where GET /v1/shootouts/{id} of the same id is a 400 naming the 64-character limit.
ShootoutId = Annotated[str, PathParam(max_length=64)]


def _report_file(request: Request, shootout_id: str, field: str) -> Path:
    job = parent_of(service_of(request), shootout_id, SHOOTOUT, "shootout")
    if job.status is not JobStatus.COMPLETED:
        raise ApiError(
            409,
            _not_ready(job),
            param="shootout_id",
            code="report_not_ready",
        )
    path = Path(str((job.result or {}).get(field, "")))
    if not path.is_file():
        raise ApiError(404, f"{path} is no longer on the server", param="shootout_id", code="content_removed")
    return path


def _not_ready(job: Job) -> str:
    """Why ``job`` has no report yet, or never will."""
    if job.terminal:  # cancelled or failed: it will never write one
        return (
            f"shoot-out {job.id} is {job.status.value}; it ended without a report, "
            "so run the shoot-out again (POST /v1/shootouts) for one"
        )
    return f"shoot-out {job.id} is {job.status.value}; its report exists once it is completed"


@router.get(
    "/shootouts/{shootout_id}/report",
    summary="The report (HTML; every picture inline up to 100 clips, past that linked beside it)",
    response_class=FileResponse,
    responses={200: {"content": {"text/html": {}}}},
)
def shootout_report(request: Request, shootout_id: ShootoutId) -> FileResponse:
    return FileAnswer(_report_file(request, shootout_id, "report_file"), media_type="text/html")


@router.get(
    "/shootouts/{shootout_id}/results",
    summary="Every number of the shoot-out (results.json)",
    response_class=FileResponse,
    responses={200: {"content": {"application/json": {}}}},
)
def shootout_results(request: Request, shootout_id: ShootoutId) -> FileResponse:
    return FileAnswer(_report_file(request, shootout_id, "results_file"), media_type="application/json")


# report.html links results.json beside it; the page served at .../report resolves that link here.
router.get("/shootouts/{shootout_id}/results.json", include_in_schema=False)(shootout_results)


def _picture(request: Request, shootout_id: str, kind: str, name: str, media_type: str) -> FileResponse:
    """A clip's picture from the report's ``kind`` folder (``sheets``, ``previews``), by file name alone."""
    folder = _report_file(request, shootout_id, "report_file").parent / kind
    path = folder / name
    # The name is one path part (the route takes no '/'); '..' or a link out of the folder is no picture.
    if name.startswith(".") or not path.is_file() or path.resolve().parent != folder.resolve():
        raise ApiError(
            404, f"{kind}/{name} is not in this shoot-out's report", param="name", code="not_found"
        )
    return FileAnswer(path, media_type=media_type)


# Past report.INLINE_CLIPS clips the page links their pictures (sheets/<key>.png, previews/<key>.gif) in
# place of inlining them; the page served at .../report resolves those links here.
@router.get("/shootouts/{shootout_id}/sheets/{name}", include_in_schema=False)
def shootout_sheet(request: Request, shootout_id: ShootoutId, name: str) -> FileResponse:
    return _picture(request, shootout_id, "sheets", name, "image/png")


@router.get("/shootouts/{shootout_id}/previews/{name}", include_in_schema=False)
def shootout_preview(request: Request, shootout_id: ShootoutId, name: str) -> FileResponse:
    return _picture(request, shootout_id, "previews", name, "image/gif")


ParentRoutes(SHOOTOUT, "shootout", present, ShootoutObject, ShootoutList).install(router)

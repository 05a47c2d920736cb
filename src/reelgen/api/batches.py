"""``/v1/batches``: a batch manifest run on this server as a ``batch`` job with one item job per manifest item.

    POST /v1/batches {"manifest": {...}, "input_folder": "/data/shots"}
    -> 202 {"id": "video_...", "object": "batch", "status": "in_progress", "request_counts": {...}}
    GET  /v1/batches/{batch_id}/events      live progress; the summary comes with ``completed``

The clips, their companions and ``batch-summary.json`` are written to the
output folder on the server, as ``reelgen batch`` writes them in process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
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
    planned_ends,
    progress,
    server_folder,
    statuses,
    submit_planned,
    urls,
    whole,
    writable_folder,
)
from reelgen.api.parent_folder import (
    claiming_folders,
    refuse_a_busy_folder,
    refuse_a_locked_folder,
    taken_back_if_refused,
)
from reelgen.api.project_files import NAME_MAX
from reelgen.api.schemas import Status, VideoError
from reelgen.core.atomic import missing_folders, remove_empty
from reelgen.core.batch.folder_summary import check_summary_ours, named_file
from reelgen.core.batch.inputs import check_images_found
from reelgen.core.batch.manifest import Manifest
from reelgen.core.batch.overwrites import check_keyframes_kept, check_spares_file
from reelgen.core.batch.plan import check_models, output_folder
from reelgen.core.batch.prompt import check_prompts
from reelgen.core.batch.server_outputs import check_server_outputs
from reelgen.core.batch.summary import BatchSummary, ItemOutcome
from reelgen.core.errors import ReelgenError
from reelgen.jobs.kinds.batch import NAME as BATCH
from reelgen.jobs.kinds.batch import BatchPayload
from reelgen.jobs.records import Job
from reelgen.jobs.store import fingerprint

router = APIRouter(prefix="/v1", tags=["batches"], dependencies=[Depends(authorized)], responses=ERRORS)


class BatchCreate(ParentCreate):
    """A manifest and the server folders it reads from and writes to."""

    model_config = ConfigDict(extra="forbid")

    manifest: Manifest = Field(description="the manifest itself: `reelgen manifest schema` prints its schema")
    input_folder: str = Field(
        max_length=4096,
        description="absolute path on the server of the manifest's folder (relative paths start here)",
    )
    output_folder: str | None = Field(
        default=None,
        max_length=4096,
        description="absolute; default: the manifest's output_dir in input_folder",
    )
    name: str | None = Field(
        default=None, max_length=200, description="shown in lists, e.g. the manifest's file name"
    )
    price_per_gpu_hour: float | None = Field(default=None, ge=0, description="default: the manifest's")

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str | None) -> str | None:
        # Shown in lists as it is: a line break split the row and an ESC code coloured a terminal.
        bad = next((c for c in value or "" if ord(c) < 32 or ord(c) == 127), None)
        if bad is not None:
            raise ValueError(
                f"holds the control character U+{ord(bad):04X}; give a plain name, e.g. manifest.json"
            )
        # The name is looked for as the manifest's file in input_folder (as `reelgen batch --server`
        # sends it): 200 accented letters (400 bytes) were taken, and the batch then failed at once
        # with an internal error, "File name too long".
        if value is not None and len(value.encode()) > NAME_MAX:
            raise ValueError(
                f"is {len(value.encode())} bytes long (UTF-8), and a name may hold at most {NAME_MAX}, "
                "as a file name may; give a shorter one"
            )
        return value


class BatchObject(BaseModel):
    """A batch job. ``summary`` (done, failed and skipped with reasons, time, cost) arrives with ``completed``."""

    id: str
    object: Literal["batch"] = "batch"
    status: Status
    name: str
    model: str
    progress: int = Field(ge=0, le=100)
    created_at: int
    started_at: int | None = None
    completed_at: int | None = None
    input_folder: str
    output_folder: str
    request_counts: RequestCounts
    planned_ends: list[ItemOutcome] = Field(
        default=[],
        description="while it runs: the items that failed or were skipped as the server planned them "
        "(they get no item job), each as the summary will say it",
    )
    summary: BatchSummary | None = None
    summary_file: str | None = None
    error: VideoError | None = None
    priority: int = 0
    metadata: dict[str, str] | None = None
    urls: ParentUrls


class BatchList(BaseModel):
    object: Literal["list"] = "list"
    data: list[BatchObject]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool


def present(request: Request, job: Job, children: Children) -> BatchObject:
    """A batch job as the wire shows it (read from its stored payload, not parsed again: it may be long)."""
    payload, result = job.payload, job.result or {}
    return BatchObject(
        id=job.id,
        status=job.status.value,
        name=str(payload.get("name") or ""),
        model=job.model,
        progress=progress(job, children),
        created_at=int(job.created_at),
        started_at=whole(job.started_at),
        completed_at=whole(job.completed_at),
        input_folder=str(payload.get("input_folder", "")),
        output_folder=str(payload.get("output_folder", "")),
        request_counts=counts(len(payload.get("manifest", {}).get("items", [])), children, job),
        planned_ends=planned_ends(job),
        summary=result.get("summary"),
        summary_file=result.get("summary_file"),
        error=VideoError(**job.error) if job.error else None,
        priority=job.priority,
        metadata={str(k): str(v) for k, v in job.metadata.items()} or None,
        urls=ParentUrls(**urls(request, BATCH, job.id)),
    )


def batch_payload(body: BatchCreate) -> BatchPayload:
    """The job's payload: folders made absolute, each under the server's batch roots, output writable."""
    base = server_folder(body.input_folder, "input_folder")
    if not base.is_dir():
        raise ApiError(400, f"input_folder: {base} is not a folder on the server", param="input_folder")
    for i, item in enumerate(body.manifest.items):
        for j, image in enumerate(item.images):
            # As the plan reads it: "~/a.png" is the home folder, checked against the roots like any path.
            server_folder(str(base / Path(image).expanduser()), f"manifest.items[{i}].images[{j}]")
    if body.output_folder is not None and not Path(body.output_folder).expanduser().is_absolute():
        # "" or "renders" went quietly under input_folder (""'s clips beside the keyframes), unlike input_folder
        example = base / (body.output_folder or body.manifest.defaults.output_dir)
        raise ApiError(
            400,
            f"output_folder: {body.output_folder!r} must be an absolute path on the server, e.g. {example}; "
            f"leave it out for the manifest's output_dir ({body.manifest.defaults.output_dir}) in input_folder",
            param="output_folder",
        )
    out = server_folder(str(output_folder(body.manifest, base, body.output_folder)), "output_folder")
    try:
        check_models(body.manifest)  # a typo'd model is the request's error, not a failed item per item
        check_prompts(body.manifest)  # so is a placeholder no item sets
        check_server_outputs(body.manifest)  # an x.gif item would only fail once its turn came
        check_keyframes_kept(body.manifest, base, out)  # an item's output would replace a keyframe
        if body.name and Path(body.name).name == body.name and (base / body.name).is_file():
            check_spares_file(body.manifest, out, base / body.name)  # `reelgen batch --server` names it
    except ReelgenError as exc:
        # The message starts with the field as the manifest file says it ("defaults.model: ..."): said
        # here by the body's path, as param names it, so one client reads both alike.
        message = exc.message
        if exc.param and message.startswith((f"{exc.param}:", f"{exc.param} ")):
            message = f"manifest.{message}"
        raise ApiError(400, message, param=f"manifest.{exc.param}", code=exc.code) from None
    try:
        # Another batch's summary is there (another manifest file's, or one sharing no item).
        check_summary_ours(body.manifest, out, "output_folder", named_file(base, body.name))
    except ReelgenError as exc:
        raise ApiError(400, exc.message, param=exc.param, code=exc.code) from None
    made = missing_folders(out)
    output = str(writable_folder(out, "output_folder"))
    try:  # last, as a run in process finds it: the folders are the body's to fix first
        check_images_found(body.manifest, base)  # a keyframe that is not there is the manifest's error
    except ReelgenError as exc:
        remove_empty(made)  # a refused batch leaves no folder behind
        raise ApiError(400, f"manifest.{exc.message}", param=f"manifest.{exc.param}", code=exc.code) from None
    return BatchPayload(
        manifest=body.manifest,
        input_folder=str(base),
        output_folder=output,
        price_per_gpu_hour=body.price_per_gpu_hour,
        name=body.name or "",
    )


@router.post(
    "/batches",
    status_code=202,
    response_model=BatchObject,
    summary="Run a batch manifest",
    responses={200: {"model": BatchObject, "description": "Idempotent replay of an earlier create"}},
)
async def create_batch(
    request: Request, body: BatchCreate, idempotency_key: IdempotencyKey = None
) -> Response:
    """Plan the manifest (keyframes scored, camera paths checked) and queue one job per runnable item.

    Items finished by an earlier run into the same output folder (same content
    key) are not made again. The batch completes with its summary once every
    item has ended, failed ones included.
    """
    check_priority(request, body)
    service = service_of(request)
    body_fingerprint = fingerprint({"batch": body.model_dump(mode="json")})

    def submit() -> tuple[Job, bool]:
        if idempotency_key is not None:
            existing = service.replay(idempotency_key, body_fingerprint)
            if existing is not None:
                return existing, True
        # Two requests with one key at once: the store answers the loser with the winner's job, which
        # is a replay (200, Idempotent-Replayed) as a later retry's is, not a 202 as if it were new.
        with taken_back_if_refused():  # a refusal below leaves no output folder made for it
            payload = batch_payload(body)
            with claiming_folders():
                refuse_a_busy_folder(service, payload.output_folder, idempotency_key, BATCH, "its clips")
                # A retry whose first request's job was made, and took the folder, while this one was planned
                # is that job's replay, not a batch refused by its own lock.
                if idempotency_key is not None:
                    existing = service.replay(idempotency_key, body_fingerprint)
                    if existing is not None:
                        return existing, True
                refuse_a_locked_folder(payload.output_folder)  # held by a run outside this server's jobs
                return service.submit_or_replay(
                    payload,
                    kind=BATCH,
                    priority=body.priority,
                    idempotency_key=idempotency_key,
                    body_fingerprint=body_fingerprint,
                    metadata=body.metadata,
                )

    job, replayed = await submit_planned(request, submit)
    children = await run_in_threadpool(statuses, service, job.id)
    obj = present(request, job, children)
    return created(obj, obj.urls.self, replayed)


ParentRoutes(BATCH, "batch", present, BatchObject, BatchList).install(router)

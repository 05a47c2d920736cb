"""OpenAI-shaped ``/v1/videos`` routes: create, list, retrieve, delete, content, remix, cancel, events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from reelgen.api import convert, sse, wire, wire_request
from reelgen.api.deps import IdempotencyKey, authorized, service_of, settings_of
from reelgen.api.enhance_fields import refuse_unpulled, request_steps
from reelgen.api.errors import ApiError, from_reelgen
from reelgen.api.files import FileAnswer, content_gone
from reelgen.api.inputs import SavedInputs, make_webhook, parse_create, read_create_body, save_inputs
from reelgen.api.models import require_weights
from reelgen.api.priority_cap import above_cap
from reelgen.api.remix_inputs import inputs_kept, kept_of, remixable
from reelgen.api.schemas import TERMINAL, VideoDeleted, VideoList, VideoObject
from reelgen.api.settings import ApiSettings
from reelgen.api.video_errors import ERRORS as ERRORS  # the enhance and avatar routers read it here
from reelgen.api.video_errors import QUEUEING
from reelgen.api.video_errors import errors as _errors
from reelgen.api.video_page import video_of, video_page
from reelgen.api.video_parent import Parents, parents_of, refuse_item_of_running, with_parent
from reelgen.api.video_stream import events_answer
from reelgen.core.errors import GenerationFailed
from reelgen.core.spec import resolve
from reelgen.core.spec.input_files import check_source_length
from reelgen.core.spec.request import GenerationRequest, ResolvedRequest, Task
from reelgen.core.spec.rules import strength_with_extend
from reelgen.jobs import kinds
from reelgen.jobs.artifacts import SUFFIXES
from reelgen.jobs.records import Job, JobNotFound, JobStatus
from reelgen.jobs.store import fingerprint
from reelgen.jobs.webhooks import Webhook

#: The job kinds /v1/videos shows: clips made (render) and clips enhanced (enhance); creates make renders.
VIDEO = kinds.VIDEO_KINDS
_LAST = "Resume after this event id (as browsers send on reconnecting); it wins over after"

#: Every route here may answer these; each route adds its own.
router = APIRouter(
    prefix="/v1", tags=["videos"], dependencies=[Depends(authorized)], responses=_errors(401, 404)
)


def present(
    request: Request,
    job: Job,
    position: int | None = None,
    *,
    lookup: bool = True,
    parents: Parents | None = None,
) -> VideoObject:
    """Job -> video object; a queued job's position is asked for unless given (blocking) or ``lookup``
    is off (a list page asks for all its positions in one query), an item's parent unless in ``parents``."""
    service = service_of(request)
    if position is None and lookup and job.status is JobStatus.QUEUED:
        position = service.queue_position(job)
    base = str(request.base_url).rstrip("/")
    lora_dir = settings_of(request).lora_dir
    video = convert.video_object(job, base, position, service.settings.retention_days, lora_dir)
    return with_parent(video, job, service, base, parents)


@contextmanager
def _still_there(video_id: str) -> Iterator[None]:
    """A video another request deleted between its lookup and this action is not found, said as a video."""
    try:
        yield
    except JobNotFound:
        raise JobNotFound.of(video_id, "video") from None


def _poll_headers(settings: ApiSettings, video: VideoObject) -> dict[str, str]:
    return {} if video.status in TERMINAL else {"openai-poll-after-ms": str(settings.poll_after_ms)}


async def _submit(
    request: Request,
    make: Callable[[], GenerationRequest],
    *,
    priority: int,
    key: str | None,
    body_fingerprint: str,
    webhook: Webhook | None = None,
    metadata: dict[str, str] | None = None,
    remixed_from: str | None = None,
) -> tuple[Job, bool]:
    """Queue the request ``make()`` builds, resolved here once; returns the job and whether it is a
    replay of an earlier create with the same Idempotency-Key and body (then nothing is resolved).
    Of several requests sent at once with one key, exactly one makes the job."""
    service = service_of(request)

    def run() -> tuple[Job, bool]:
        if key is not None:
            # A replay must answer even if the model has since gone away.
            existing = service.replay(key, body_fingerprint)
            if existing is not None:
                return existing, True
        generation = make()
        # Said here in the body's words: the core's name the server's paths and `reelgen pull`.
        refuse_unpulled(request_steps(generation))
        resolved: ResolvedRequest = resolve(generation)
        require_weights(resolved, settings_of(request).jobs.ray_address)  # else it fails in the worker
        check_source_length(resolved, "the source video file")  # it failed in the worker, once queued
        return service.submit_or_replay(
            resolved,
            priority=priority,
            idempotency_key=key,
            webhook=webhook,
            body_fingerprint=body_fingerprint,
            metadata=metadata,
            remixed_from=remixed_from,
        )

    return await run_in_threadpool(run)


def _created(request: Request, job: Job, replayed: bool) -> Response:
    video = present(request, job)
    headers = {"Location": video.urls.self, **_poll_headers(settings_of(request), video)}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        video.model_dump_json(),
        status_code=200 if replayed else 202,
        headers=headers,
        media_type="application/json",
    )


_CREATE_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/VideoCreate"}},
            "multipart/form-data": {"schema": {"$ref": "#/components/schemas/VideoCreateForm"}},
        },
    }
}


@router.post(
    "/videos",
    status_code=202,
    response_model=VideoObject,
    summary="Create a video job",
    openapi_extra=_CREATE_DOC,
    responses={
        200: {"model": VideoObject, "description": "Idempotent replay of an earlier create"},
        **QUEUEING,
    },
)
async def create_video(request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Queue a video. JSON, or multipart with image files: ``input_reference`` (the start image),
    ``end_image`` (the last frame) and ``keyframe_images`` (one per entry of the JSON text field
    ``keyframes``, in order), and a ``source_video``. LoRAs are named inside the server's LoRA
    folder (``GET /v1/loras``).

    The job is committed before this answers (202). With an ``Idempotency-Key``,
    a retry with the same body returns the same job (200); another body gets 409.
    """
    key = idempotency_key
    data, files = await read_create_body(request)
    job, replayed = await create_job(request, parse_create(data), files, key)
    return await run_in_threadpool(_created, request, job, replayed)


async def create_job(
    request: Request, body: Any, files: dict[str, UploadFile], key: str | None
) -> tuple[Job, bool]:
    """Store the inputs, queue the job; inputs are removed again if no new job took them."""
    if "input_reference" in files and body.input_reference is not None:  # the file ran, the URL unsaid
        how = "as the file input_reference or as input_reference[image_url]"
        raise ApiError(400, f"input_reference: give the start image once, {how}", param="input_reference")
    if "source_strength" in body.model_fields_set and body.task == Task.EXTEND:  # no extend runner reads it
        raise from_reelgen(strength_with_extend())
    saved = SavedInputs(service_of(request))
    job: Job | None = None
    try:
        inputs = await save_inputs(request, body, files, saved)
        body_fingerprint = fingerprint({"create": body.model_dump(mode="json"), "files": saved.digest})
        settings = settings_of(request)
        webhook = await run_in_threadpool(make_webhook, body, settings)
        job, replayed = await _submit(
            request,
            lambda: wire_request.to_request(body, settings, inputs),
            priority=body.priority,
            key=key,
            body_fingerprint=body_fingerprint,
            webhook=webhook,
            metadata=body.metadata,
        )
    finally:
        saved.discard_unless_used(job)
    return job, replayed


@router.get("/videos", response_model=VideoList, summary="List video jobs", responses=_errors(400))
def list_videos(
    request: Request,
    after: Annotated[str | None, Query(description="Id of the last video of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    status: Annotated[
        Literal["queued", "in_progress", "completed", "failed", "cancelled"] | None, Query()
    ] = None,
    model: Annotated[str | None, Query(max_length=200)] = None,
    parent: Annotated[
        str | None, Query(max_length=64, description="Only this batch's or shoot-out's items")
    ] = None,
) -> VideoList:
    """Newest first by default; pass ``last_id`` as ``after`` for the next page."""
    service = service_of(request)
    page = video_page(service, after, limit=limit, order=order, status=status, model=model, parent=parent)
    parents = parents_of(service, page.items)
    data = [
        present(request, job, page.positions.get(job.id), lookup=False, parents=parents) for job in page.items
    ]
    return VideoList(data=data, first_id=page.first_id, last_id=page.last_id, has_more=page.has_more)


@router.get("/videos/{video_id}", response_model=VideoObject, summary="Retrieve a video job")
def get_video(request: Request, response: Response, video_id: str) -> VideoObject:
    video = present(request, video_of(service_of(request), video_id))
    response.headers.update(_poll_headers(settings_of(request), video))
    return video


@router.delete(
    "/videos/{video_id}",
    response_model=VideoDeleted,
    summary="Delete a video and its files",
    responses=_errors(409, e409="An item of a batch or shoot-out still running (error.parent_id names it)"),
)
def delete_video(request: Request, video_id: str) -> VideoDeleted:
    """The record, its events and its files go (the files sent with it too, unless a remix of it still uses
    them); a running job is stopped, and its event stream ends with a ``cancelled`` event saying
    ``deleted: true``."""
    service = service_of(request)
    video = video_of(service, video_id)
    refuse_item_of_running(service, video)
    with _still_there(video_id):
        job = service.delete(video.id)
    return VideoDeleted(id=job.id, deleted=True)


@router.post("/videos/{video_id}/cancel", response_model=VideoObject, summary="Cancel a video job")
def cancel_video(request: Request, video_id: str) -> VideoObject:
    """Queued: cancelled at once. Running: stops at its next step. Finished: returned unchanged."""
    service = service_of(request)
    with _still_there(video_id):
        return present(request, service.cancel(video_of(service, video_id).id))


@router.post(
    "/videos/{video_id}/remix",
    status_code=202,
    response_model=VideoObject,
    summary="Remix a video",
    responses={
        200: {"model": VideoObject, "description": "Idempotent replay of an earlier remix"},
        **QUEUEING,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VideoRemix"}}},
        }
    },
)
async def remix_video(request: Request, video_id: str, idempotency_key: IdempotencyKey = None) -> Response:
    """A new job from this one's request with a new prompt (and optional overrides), resolved afresh."""
    key = idempotency_key
    data, _ = await read_create_body(request, file_fields=())
    wire.refuse_unremixable(data)
    body = wire.parse_body(wire.VideoRemix, data, wire.REMIX_FIELDS)
    service = service_of(request)
    wire.check_text_limits(body, settings_of(request).max_prompt_chars)
    cap = settings_of(request).max_priority
    if body.priority is not None and body.priority > cap:
        raise above_cap(body.priority, cap)
    sent = fingerprint({"remix": video_id, "body": body.model_dump(mode="json")})
    # The key first: a retry once the video remixed was deleted got a 404, not the remix it had made.
    if key is not None and (made := await run_in_threadpool(service.replay, key, sent)) is not None:
        return await run_in_threadpool(_created, request, made, True)
    parent = await run_in_threadpool(video_of, service, video_id)  # its id is video_id: the same print
    parent_request = await run_in_threadpool(remixable, parent)
    hook, metadata = kept_of(parent)
    job, replayed = await _submit(
        request,
        lambda: wire_request.remix_request(inputs_kept(parent, parent_request, service.input_here), body),
        priority=parent.priority if body.priority is None else body.priority,
        key=key,
        body_fingerprint=sent,
        webhook=hook,
        metadata=metadata,
        remixed_from=parent.id,
    )
    return await run_in_threadpool(_created, request, job, replayed)


_MEDIA = {"video": "video/mp4", "thumbnail": "image/png", "spritesheet": "image/jpeg"}


@router.get(
    "/videos/{video_id}/content",
    summary="Download the MP4, its thumbnail or its spritesheet; HTTP Range supported",
    response_class=FileResponse,
    responses={
        200: {"content": {"video/mp4": {}, "image/png": {}, "image/jpeg": {}}},
        206: {"description": "Partial content"},
        304: {"description": "Not modified: If-None-Match names its ETag, or If-Modified-Since"},
        **_errors(
            400,
            409,
            416,
            500,
            e409="The video is not completed (queued, in progress, failed or cancelled): it has no content",
            e500="The video could not be decoded to make its spritesheet",
        ),
    },
)
def video_content(
    request: Request,
    video_id: str,
    variant: Annotated[Literal["video", "thumbnail", "spritesheet"], Query()] = "video",
) -> FileResponse:
    """``spritesheet``: up to 16 frames sampled evenly from first to last, 4 to a row, each 256 px wide
    (a JPEG made on the first request, then kept with the video's files)."""
    service = service_of(request)
    job = video_of(service, video_id)
    if job.status is not JobStatus.COMPLETED:
        if job.terminal:  # failed or cancelled: it never will be completed
            said = "was cancelled" if job.status is JobStatus.CANCELLED else "failed"
            why = f" ({job.error_message})" if job.error_message else ""
            message = f"video {job.id} {said}{why}; it has no content: only a completed video has one"
        else:
            message = f"video {job.id} is {job.status.value}; its content exists once it is completed"
        raise ApiError(409, message, param="video_id", code="video_not_ready")
    try:
        with _still_there(video_id):
            path = service.content(job.id, variant)
    except GenerationFailed as exc:  # the server's own file, not the request, is at fault
        raise ApiError(500, f"video {job.id}: {exc.message}", code="spritesheet_failed") from None
    if path is None:
        # A sheet is made from the video: when that is missing (not removed by retention), say so.
        raise content_gone(job, "video" if variant == "spritesheet" and not job.data_removed else variant)
    name = f"{job.id}{SUFFIXES[variant][0]}"
    return FileAnswer(path, media_type=_MEDIA[variant], filename=name, content_disposition_type="inline")


@router.get(
    "/videos/{video_id}/events",
    summary="Live events (server-sent events); Last-Event-ID resumes",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}},
        204: {"description": "The video ended at or before the event resumed after: nothing follows"},
        **_errors(400),
    },
)
async def video_events(
    request: Request,
    video_id: str,
    last_event_id: Annotated[
        str | None, Header(alias="Last-Event-ID", max_length=32, description=_LAST)
    ] = None,
    after: Annotated[
        int | None, Query(ge=0, le=sse.MAX_SEQ, description="Resume after this event id")
    ] = None,
) -> Response:
    """``open`` (data ``{"after": N}``, the event id it resumes after), then ``queued``, ``started``,
    ``progress`` (stage, step, total, eta_s, progress, and a base64 PNG ``preview`` every few steps),
    then ``completed``, ``failed`` or ``cancelled`` with the ``video`` object (``deleted: true``
    instead when the video was deleted as it ended, or while it ran: then ``cancelled`` comes without an
    id), and the stream ends. While the video waits, ``position`` (``queue_position``: how many queued
    jobs start before it, 0 when it is next) comes whenever that number changes. All but ``open``,
    ``position`` and that ``cancelled`` have ids. Resumed after the final event: 204, no stream."""
    sse.refuse_two_last_event_ids(request.headers)
    service = service_of(request)
    job = await run_in_threadpool(video_of, service, video_id)
    resume = sse.last_event_id(last_event_id, after)

    def shown(found: Job) -> dict[str, Any]:
        return present(request, found).model_dump(mode="json")

    return await events_answer(service, job, shown, request.app.state.wakeups, resume)

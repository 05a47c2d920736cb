"""``POST /v1/videos/{id}/enhance`` and ``POST /v1/videos/enhance``: interpolate and upscale a video as a job.

The first enhances a completed video of this server (its MP4 is the source and
the new video names it in ``enhanced_from_video_id``); the second, any video
file uploaded as the multipart field ``file``. Both answer a video object (202)
like a create: retrieve, content, events, cancel and delete work on it through
``/v1/videos``; its size, frame count and rate are those of the enhanced clip.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ConfigDict, Field, create_model, field_validator
from starlette.concurrency import run_in_threadpool

from reelgen.api import videos
from reelgen.api.deps import IdempotencyKey, authorized, service_of, settings_of
from reelgen.api.enhance_fields import ENHANCE_FIELDS, chain_steps, rate_in_range
from reelgen.api.errors import ApiError
from reelgen.api.files import content_gone
from reelgen.api.inputs import CREATE_FILES, SavedInputs, make_webhook, read_create_body
from reelgen.api.priority_cap import above_cap
from reelgen.api.schemas import TERMINAL, VideoObject, WebhookSpec
from reelgen.api.security import probe_video
from reelgen.api.wire import parse_body
from reelgen.core.spec.numbers import NumberFields
from reelgen.core.spec.request import EnhanceStep, GenerationRequest
from reelgen.jobs import kinds
from reelgen.jobs.kinds.enhance import enhance_payload
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.store import fingerprint

router = APIRouter(prefix="/v1", tags=["videos"], dependencies=[Depends(authorized)], responses=videos.ERRORS)


class _EnhanceExtras(NumberFields):  # 1.0 is 1, as on /v1/videos
    # NaN is "not finite", as on /v1/videos, not "less than or equal to 8".
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    priority: int = Field(default=0, ge=-1000, le=1000, description="Higher runs first")
    metadata: dict[str, str] | None = None
    webhook: WebhookSpec | None = None

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None and (
            len(value) > 16 or any(len(k) > 64 or len(v) > 512 for k, v in value.items())
        ):
            raise ValueError("metadata holds at most 16 keys of 64 chars with values of 512 chars")
        return value

    @field_validator("target_fps", mode="before", check_fields=False)  # declared by ``VideoEnhance``
    @classmethod
    def _rate_as_written(cls, value: Any) -> Any:
        return rate_in_range(value)


def _core(name: str) -> tuple[Any, Any]:
    """The core request's field ``name``: its type, limits and description."""
    info = GenerationRequest.model_fields[name]
    return info.annotation, copy.copy(info)


_FIELDS: dict[str, Any] = {name: _core(name) for name in ENHANCE_FIELDS}
VideoEnhance = create_model(
    "VideoEnhance",
    __base__=_EnhanceExtras,
    __doc__="The enhancement asked for: at least one of interpolate, target_fps or upscale.",
    **_FIELDS,
)


async def _queue(
    request: Request,
    body: Any,
    steps: list[EnhanceStep],
    video: bytes,
    suffix: str,
    *,
    key: str | None,
    body_fingerprint: str,
    param: str,
    source: Job | None = None,
    sent_as: str | None = None,
) -> tuple[Job, bool]:
    """Keep ``video`` as the job's input, decode its shape, check ``steps`` against it and queue the job.

    ``sent_as`` is the file name the output's record gives the input (see ``Artifacts.save_input``).

    Returns the job and whether it replays an earlier call with this Idempotency-Key
    and body (then nothing new is stored). The input goes again if no new job took it.
    """
    service, settings = service_of(request), settings_of(request)
    if body.priority > settings.max_priority:
        raise above_cap(body.priority, settings.max_priority)
    webhook = await run_in_threadpool(make_webhook, body, settings)
    saved = SavedInputs(service)

    def run() -> tuple[Job, bool]:
        if key is not None:
            existing = service.replay(key, body_fingerprint)
            if existing is not None:
                return existing, True
        path = service.save_input(video, suffix, sent_as)
        saved.paths.append(path)
        # A request that lost a race for its key gets the winner's job: a replay, as a later retry's is.
        return service.submit_or_replay(
            enhance_payload(path, steps, param=param, source_job=source),
            kind=kinds.ENHANCE,
            priority=body.priority,
            idempotency_key=key,
            webhook=webhook,
            body_fingerprint=body_fingerprint,
            metadata=body.metadata,
            remixed_from=None if source is None else source.id,
        )

    made: tuple[Job, bool] | None = None
    try:
        made = await run_in_threadpool(run)
    finally:
        saved.discard_unless_used(None if made is None else made[0])
    return made


def _accepted(request: Request, job: Job, replayed: bool) -> Response:
    video: VideoObject = videos.present(request, job)
    headers = {"Location": video.urls.self}
    if video.status not in TERMINAL:
        headers["openai-poll-after-ms"] = str(settings_of(request).poll_after_ms)
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        video.model_dump_json(),
        status_code=200 if replayed else 202,
        headers=headers,
        media_type="application/json",
    )


#: Names a client may give the video itself; the upload route takes it as the file field ``file``.
_THE_VIDEO = frozenset({"source_video", "video", "input_video", "video_url"})


#: What an enhance upload takes, said after another route's file sent to it.
_UPLOAD_TAKES = "an enhance takes one file, the video, as the file field `file` (curl -F 'file=@clip.mp4')"


def _upload_file_hint(key: str) -> str | None:
    """Where a file part named as another route names it goes, on the upload route: ``source_video``
    was told "if source_video is a text field, send its text", as if the video were a prompt."""
    if key in _THE_VIDEO:
        return "send the video to enhance as the file field `file` (curl -F 'file=@clip.mp4')"
    if key in CREATE_FILES:
        return f"{key} is an image of a create (POST /v1/videos); {_UPLOAD_TAKES}"
    if key in ("image", "audio"):
        return f"{key} is a file of a talking avatar (POST /v1/avatars); {_UPLOAD_TAKES}"
    if key in GenerationRequest.model_fields and key not in VideoEnhance.model_fields:
        return f"{key} is not a field of an enhance: the video is enhanced as it is"
    return None


def _stored_file_hint(key: str) -> str | None:
    """Where a video sent to the route that enhances a stored video goes: the upload route."""
    if key == "file" or key in _THE_VIDEO:
        return (
            "it enhances a video already on this server; send a video of yours to POST /v1/videos/enhance "
            "as the file field `file`"
        )
    return None


def _parse(data: dict[str, Any], files: tuple[str, ...] = ()) -> tuple[Any, list[EnhanceStep]]:
    """The body as ``VideoEnhance`` and the steps it asks for; methods are checked before any file is.

    ``files`` are the route's file fields (``file`` on the upload route), named among the valid ones.
    """
    valid = ", ".join(sorted({*VideoEnhance.model_fields, *files}))
    for key in data:
        if "file" in files and key in _THE_VIDEO:
            # It was told "the video is enhanced as it is" and a list of fields without `file`, the one
            # that takes the video.
            raise ApiError(
                400,
                f"{key} is not a field of an enhance: send the video as the file field `file` "
                f"(curl -F 'file=@clip.mp4'); valid fields: {valid}",
                param=key,
                code="invalid_value",
            )
        # A create's field (model, prompt, seed ...) was "not offered over HTTP yet; valid parameters:
        # see VideoCreate", a schema this route does not take.
        if key in GenerationRequest.model_fields and key not in VideoEnhance.model_fields:
            raise ApiError(
                400,
                f"{key} is not a field of an enhance: the video is enhanced as it is; valid fields: {valid}",
                param=key,
                code="invalid_value",
            )
    body = parse_body(VideoEnhance, data, ENHANCE_FIELDS, files=files)
    return body, chain_steps(body.model_dump(include=set(ENHANCE_FIELDS), exclude_none=True))


_REPLAYED: dict[int | str, dict[str, Any]] = {
    200: {"model": VideoObject, "description": "Idempotent replay of an earlier call"},
    # As create's, but a 409 may also say the source video is not finished.
    **videos.QUEUEING,
    409: videos.ERRORS[409],
}


@router.post(
    "/videos/enhance",
    status_code=202,
    response_model=VideoObject,
    summary="Enhance an uploaded video (interpolate, upscale)",
    responses=_REPLAYED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/VideoEnhanceForm"}}},
        }
    },
)
async def enhance_upload(request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Queue the enhancement of the video sent as the multipart file ``file`` (MP4/MOV, WebM/MKV).

    The upload is checked like any input video (container, streams, size, length)
    and decoded once to count its frames; its audio is carried over unchanged.
    """
    data, files = await read_create_body(request, file_fields=("file",), file_hint=_upload_file_hint)
    if "file" not in files:
        raise ApiError(400, "send the video to enhance as the multipart file field `file`", param="file")
    body, steps = _parse(data, files=("file",))
    video = await files["file"].read()
    settings = settings_of(request)
    suffix = await run_in_threadpool(
        probe_video, video, settings.max_video_seconds, settings.max_video_side, "file"
    )
    digest = hashlib.sha256(video).hexdigest()
    fp = fingerprint({"enhance": {"file": digest}, "body": body.model_dump(mode="json")})
    job, replayed = await _queue(
        request,
        body,
        steps,
        video,
        suffix,
        key=idempotency_key,
        body_fingerprint=fp,
        param="file",
        sent_as=files["file"].filename,
    )
    return await run_in_threadpool(_accepted, request, job, replayed)


@router.post(
    "/videos/{video_id}/enhance",
    status_code=202,
    response_model=VideoObject,
    summary="Enhance a completed video (interpolate, upscale)",
    responses=_REPLAYED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VideoEnhance"}}},
        }
    },
)
async def enhance_video(request: Request, video_id: str, idempotency_key: IdempotencyKey = None) -> Response:
    """Queue the enhancement of this server's completed video ``video_id`` (a render or an earlier enhance)."""
    data, _ = await read_create_body(request, file_fields=(), file_hint=_stored_file_hint)
    body, steps = _parse(data)
    service = service_of(request)
    source = await run_in_threadpool(service.get, video_id, kind=kinds.VIDEO_KINDS)
    if source.status is not JobStatus.COMPLETED:
        raise ApiError(
            409,
            f"video {source.id} is {source.status.value}; only a completed video can be enhanced",
            param="video_id",
            code="video_not_ready",
        )
    path = await run_in_threadpool(service.content, source.id)
    if path is None:
        raise content_gone(source)
    video = await run_in_threadpool(path.read_bytes)
    fp = fingerprint({"enhance": {"video": source.id}, "body": body.model_dump(mode="json")})
    job, replayed = await _queue(
        request,
        body,
        steps,
        video,
        path.suffix,
        key=idempotency_key,
        body_fingerprint=fp,
        param="video_id",
        source=source,
        # The name `reelgen download` gives it by default, so a replay finds it beside the clip.
        sent_as=f"{source.id}{path.suffix}",
    )
    return await run_in_threadpool(_accepted, request, job, replayed)

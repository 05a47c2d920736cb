"""``POST /v1/avatars`` and ``POST /generate-avatar``: a face and a voice (or text to speak) become a talking video.

Both queue an ``avatar`` job. ``/v1/avatars`` answers at once with a video
object (202); retrieve, content, events (progress per frame, stage
``lipsync``), cancel and delete work on it through ``/v1/videos``.
``/generate-avatar`` waits for the job and answers the MP4 as base64 with its
sync measure, or 504 naming the job to poll when it takes longer than
``REELGEN_WAIT_TIMEOUT_S``.

The request is resolved once, here, in a worker thread: text is spoken with
Piper (a few seconds, on the CPU, no torch) into ``REELGEN_HOME/speech/``,
and that WAV is an input file of the job, so it travels to the worker with
the photo. With no photo or video, the default presenter's photo stands in.
A video under text has its face looked for once the text is spoken, in the
frames the speech reaches (a voice file's are searched as it is uploaded).
"""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any

import anyio
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from reelgen.api import videos
from reelgen.api.avatar_bodies import ANY_CORE, FILES, VOICES, AvatarCreate, AvatarGenerate, AvatarVideo
from reelgen.api.avatar_inputs import Uploads, save_uploads, video_face, wire_error
from reelgen.api.deps import IdempotencyKey, authorized, service_of, settings_of
from reelgen.api.errors import ApiError
from reelgen.api.inputs import SavedInputs, decodes, make_webhook, read_create_body
from reelgen.api.legacy import wait_ended
from reelgen.api.models import require_weights
from reelgen.api.priority_cap import above_cap
from reelgen.api.schemas import TERMINAL, VideoObject
from reelgen.api.wire import parse_body
from reelgen.core.errors import ReelgenError
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.speech.claim import speaking
from reelgen.jobs import kinds
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.store import fingerprint

router = APIRouter(tags=["avatars"], dependencies=[Depends(authorized)], responses=videos.ERRORS)


def _check_choices(body: AvatarCreate, uploads: Uploads, cap: int) -> None:
    """One voice and at most one face source; a voice by name; priority within the server's cap."""
    # An empty text beside a voice file is no text (a form or a script sends the field empty).
    if uploads.audio is not None and (body.text or "").strip():
        raise ApiError(400, "give the voice as `audio` or text to speak as `text`, not both", param="text")
    if uploads.audio is None and not (body.text or "").strip():
        raise ApiError(400, "an avatar needs a voice: an `audio` file, or `text` to speak", param="audio")
    if uploads.image is not None and uploads.video is not None:
        raise ApiError(400, "give one face: an `image` or a `video` to dub, not both", param="video")
    if body.voice is not None and body.voice not in VOICES:
        raise ApiError(
            400,
            f"voice {body.voice!r} is not a voice of this server; valid: {', '.join(VOICES)}",
            param="voice",
        )
    if body.voice is not None and not (body.text or "").strip():
        raise ApiError(400, "voice speaks `text`; with an `audio` file, leave it out", param="voice")
    if body.priority > cap:
        raise above_cap(body.priority, cap)
    if body.model and body.model != "auto":  # a wrong name was said only after a face was found
        from reelgen.core.backends.avatar.presets import pick_model

        try:
            pick_model(body.model)
        except ReelgenError as exc:
            raise ApiError(400, exc.message, param="model", code=exc.code) from None


def _avatar_request(body: AvatarCreate, inputs: dict[str, str]) -> GenerationRequest:
    from reelgen.core.backends.avatar.presets import pick_model

    options = {} if body.face_index is None else {"face_index": body.face_index}
    return GenerationRequest(
        model=pick_model(body.model or "auto"),
        task=Task.AVATAR,
        speech_text=body.text if (body.text or "").strip() else None,
        voice=body.voice,
        options=options,
        **inputs,  # type: ignore[arg-type]
    )


async def queue_avatar(
    request: Request, body: AvatarCreate, uploads: Uploads, key: str | None
) -> tuple[Job, bool]:
    """Probe and keep the uploads, resolve (speaking any text) and queue the avatar job.

    Returns the job and whether it replays an earlier call with this
    Idempotency-Key and body. Inputs go again if no new job took them.
    """
    from reelgen.core.spec import resolve

    service, settings = service_of(request), settings_of(request)
    _check_choices(body, uploads, settings.max_priority)
    webhook = await run_in_threadpool(make_webhook, body, settings)
    face = "video" if uploads.video is not None else "image"
    saved = SavedInputs(service)
    job: Job | None = None
    inputs: dict[str, str] = {}
    try:
        inputs = await save_uploads(request, uploads, saved, body.face_index)
        wanted = body.model_dump(mode="json", include=set(AvatarCreate.model_fields))
        body_fingerprint = fingerprint({"avatar": wanted, "files": saved.digest})
        # Text over a video: its speech and the search of the frames it reaches are a decode's work, and
        # wait for a decode slot (max_concurrent_decodes), as save_uploads searches a photo, or a video
        # under a voice file, in one.
        spoken_over_video = "source_video" in inputs and "speech_audio" not in inputs
        slot = decodes(request) if spoken_over_video else None

        def submit() -> tuple[Job, bool]:
            if key is not None:
                existing = service.replay(key, body_fingerprint)
                if existing is not None:
                    return existing, True
            # Text is spoken into REELGEN_HOME/speech while resolving; a request refused from here on
            # (speech too long, no face where it speaks, weights missing, queue full) takes its WAV away again.
            with speaking(body.text, body.voice):
                try:
                    resolved = resolve(_avatar_request(body, inputs))
                except ReelgenError as exc:
                    raise wire_error(exc, face) from None
                if spoken_over_video:  # its length known now: the frames the speech reaches, not the clip
                    video_face(inputs["source_video"], body.face_index, resolved.num_frames, resolved.fps)
                require_weights(resolved, settings.jobs.ray_address)  # else it fails in the worker
                return service.submit_or_replay(
                    resolved,
                    kind=kinds.AVATAR,
                    priority=body.priority,
                    idempotency_key=key,
                    webhook=webhook,
                    body_fingerprint=body_fingerprint,
                    metadata=body.metadata,
                )

        made, replayed = await anyio.to_thread.run_sync(submit, limiter=slot)
        job = made
    finally:
        saved.discard_unless_used(job)
        if "start_image" in inputs:  # its decode served the face check and resolve; a worker reads the file
            from reelgen.core.face.source import let_go

            let_go(inputs["start_image"])
    return made, replayed


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


@router.post(
    "/v1/avatars",
    status_code=202,
    response_model=VideoObject,
    summary="Create a talking-avatar video job",
    responses={200: {"model": VideoObject, "description": "Idempotent replay of an earlier create"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": {"$ref": "#/components/schemas/AvatarCreateForm"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/AvatarCreate"}},
            },
        }
    },
)
async def create_avatar(request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """Multipart: an ``audio`` file or ``text``; an ``image`` (a face photo) or a ``video`` to dub.
    (JSON, for text spoken by the default presenter.)

    The video lasts as long as the voice, at 25 fps, with the voice as its
    soundtrack. Follow it at ``/v1/videos/{id}`` (events: stage ``lipsync``, one
    step per frame); its MP4 is at ``/v1/videos/{id}/content``.
    """
    data, files = await read_create_body(request, file_fields=tuple(FILES))
    _refuse_files_as_text(data)
    body = parse_body(AvatarCreate, data, ANY_CORE)
    uploads = Uploads(
        **{name: await upload.read() for name, upload in files.items()},
        names={name: upload.filename for name, upload in files.items() if upload.filename},
    )
    job, replayed = await queue_avatar(request, body, uploads, idempotency_key)
    return await run_in_threadpool(_accepted, request, job, replayed)


def _refuse_files_as_text(data: dict[str, Any]) -> None:
    """A file field sent as text (``-F image=face.png``, or a JSON key) is said to be a file.

    ``parse_body`` would call it "not a known field", though ``image`` is one, just as a file.
    """
    for name in FILES:
        if name in data:
            raise ApiError(
                400,
                f"{name} is a file: upload it in a multipart form (curl -F {name}=@FILE); as base64 in "
                "JSON, POST /generate-avatar takes audio and image",
                param=name,
            )


def _b64(value: str | None, param: str) -> bytes | None:
    """Base64 (or a ``data:...;base64,`` URL) as bytes; a 400 naming ``param`` otherwise."""
    if value is None:
        return None
    if value.startswith("data:"):
        value = value.partition(",")[2]
    try:  # base64(1) wraps its lines at 76 characters, and browsers read such text: the breaks are skipped
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        # A file's name or a URL is the usual mistake: the server reads neither, so say what it takes.
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise ApiError(
            400,
            f"{param}: {shown!r} is not base64; send the file's bytes as base64 (base64 -w0 FILE, or a "
            f"data: URL), or upload the file to POST /v1/avatars (curl -F {param}=@FILE)",
            param=param,
        ) from None


@router.post(
    "/generate-avatar",
    response_model=AvatarVideo,
    summary="Make a talking avatar and wait; the MP4 comes back base64 with its sync measure",
    responses={504: {"description": "Not finished in time; the job keeps running: poll the Location"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AvatarGenerate"}}},
        }
    },
)
async def generate_avatar(request: Request, idempotency_key: IdempotencyKey = None) -> Response:
    """JSON: ``audio`` (base64) or ``text``, an optional ``image`` (base64). Waits up to ``REELGEN_WAIT_TIMEOUT_S``."""
    began = time.monotonic()
    data, _ = await read_create_body(request, file_fields=())
    if "video" in data:  # it was "video is not a known field", though /v1/avatars takes one
        raise ApiError(
            400,
            "video: /generate-avatar takes a photo (`image`) only; to dub a video, upload it to "
            "POST /v1/avatars (curl -F video=@clip.mp4 -F audio=@voice.wav)",
            param="video",
        )
    body = parse_body(AvatarGenerate, data, ANY_CORE)
    uploads = Uploads(audio=_b64(body.audio, "audio"), image=_b64(body.image, "image"))
    job, _ = await queue_avatar(request, body, uploads, idempotency_key)
    service = service_of(request)
    timeout = settings_of(request).wait_timeout_s
    # On the event loop, as /generate-video waits: a thread each took every thread sync routes run in.
    job = await wait_ended(request, job.id, timeout)
    own = f"{str(request.base_url).rstrip('/')}/v1/videos/{job.id}"
    if not job.terminal:
        raise ApiError(
            504,
            f"avatar {job.id} is still {job.status.value} after {timeout:g} s (REELGEN_WAIT_TIMEOUT_S); it keeps "
            f"running: poll GET {own}, then fetch {own}/content",
            code="timeout",
            headers={"Location": own},
        )
    if job.status is not JobStatus.COMPLETED:
        error = job.error or {"code": job.status.value, "message": job.status.value}
        status = 400 if error["code"] == "invalid_request" else 422 if job.status is JobStatus.FAILED else 409
        raise ApiError(status, f"avatar {job.id} {job.status.value}: {error['message']}", code=error["code"])
    return await run_in_threadpool(_finished, service, job, began)


def _finished(service: Any, job: Job, began: float) -> JSONResponse:
    path = service.content(job.id)
    if path is None:
        raise ApiError(404, f"the video of {job.id} was removed", code="content_removed")
    avatar = (job.result or {}).get("avatar") or {}
    seconds = (job.num_frames or 0) / job.fps if job.fps else 0.0
    answer = AvatarVideo(
        job_id=job.id,
        model=job.model,
        video=base64.b64encode(path.read_bytes()).decode(),
        sync=avatar.get("sync"),
        faces_found=avatar.get("faces_found"),
        duration_ms=round(seconds * 1000),
        generation_time_ms=round((time.monotonic() - began) * 1000),
    )
    return JSONResponse(answer.model_dump(mode="json"))

"""Routes the planning documents named, mapped onto the same jobs as ``/v1/videos``."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.concurrency import run_in_threadpool

from reelgen.api.deps import IdempotencyKey, authorized, service_of, settings_of
from reelgen.api.errors import ApiError, from_reelgen
from reelgen.api.inputs import parse_create, read_create_body
from reelgen.api.schemas import ErrorEnvelope
from reelgen.api.sse import Wakeups
from reelgen.api.video_page import video_of
from reelgen.api.videos import create_job
from reelgen.api.wire import no_random_sentinel, parse_body
from reelgen.core.errors import ReelgenError
from reelgen.core.spec.numbers import NumberFields
from reelgen.core.spec.request import slow_rate
from reelgen.jobs.records import Job, JobNotFound, JobStatus

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorEnvelope, "description": "Invalid request"},
    401: {"model": ErrorEnvelope, "description": "Missing or wrong API key"},
    404: {"model": ErrorEnvelope, "description": "No such job"},
    429: {"model": ErrorEnvelope, "description": "Queue full; see Retry-After"},
}
_REUSED = "Idempotency-Key reused with another body; not to be retried"
_RESTARTING = "The engine is restarting; see Retry-After"
#: What the creating routes answer besides ERRORS: they queue through ``/v1/videos``'s create path.
_CREATING: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorEnvelope, "description": _REUSED},
    413: {"model": ErrorEnvelope, "description": "Body too large"},
    415: {"model": ErrorEnvelope, "description": "Body of another content type than the route takes"},
    503: {"model": ErrorEnvelope, "description": _RESTARTING},
    507: {"model": ErrorEnvelope, "description": "The server's disk is full; nothing was kept"},
}
router = APIRouter(tags=["legacy"], dependencies=[Depends(authorized)], responses=ERRORS)
health_router = APIRouter(tags=["legacy"])


#: The /v1/videos names of fields this server's first routes name otherwise: the name here, an example.
_V1_NAMES = {
    "seconds": ("duration", ', a number of seconds (e.g. "duration": 4)'),
    "size": ("width and height", ', two numbers (e.g. "width": 832, "height": 480)'),
    "num_inference_steps": ("steps", ""),
    "guidance_scale": ("guidance", ""),
    "input_reference": ("an `image` file (multipart) or `image_url`", ""),
}


class _V1Name(ApiError):
    """A /v1/videos field name in a legacy body: said as it was sent, not turned into legacy terms."""


class LegacyGenerate(NumberFields):  # 64.0 is 64, as on /v1/videos: it was "64 is not a whole number"
    """The planning documents' request: flat fields, ``duration`` in seconds (JSON types strict)."""

    # NaN is "not a finite number", as on /v1/videos: it was "too large", -Infinity "too small".
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

    prompt: str = Field(max_length=20_000)
    model: str | None = Field(default=None, max_length=200)
    negative_prompt: str | None = Field(default=None, max_length=20_000)
    width: int | None = Field(default=None, gt=0, le=8192)
    height: int | None = Field(default=None, gt=0, le=8192)
    num_frames: int | None = Field(default=None, gt=0, le=100_000)
    duration: float | None = Field(default=None, gt=0, le=3600, description="Seconds")
    fps: float | None = Field(default=None, gt=0, le=240)
    _slow_rate = field_validator("fps")(slow_rate)  # a frame per 100 s at the slowest
    steps: int | None = Field(default=None, gt=0, le=1000)
    guidance: float | None = Field(default=None, ge=0, le=100)
    seed: int | None = Field(default=None, ge=0, lt=2**63)
    priority: int = Field(default=0, ge=-1000, le=1000)
    image_url: str | None = Field(default=None, max_length=20_000_000, description="animate: start image URL")

    @field_validator("seed", mode="before")
    @classmethod
    def _seed(cls, value: Any) -> Any:
        return no_random_sentinel(value)

    @model_validator(mode="before")
    @classmethod
    def _v1_names(cls, data: Any) -> Any:
        # A body written for /v1/videos heard "seconds is not a known field; valid fields: duration, ..."
        # and was left to find which of thirteen names meant the same. Raised as the API's own error,
        # which passes through validation to the client as it is.
        for name, (here, example) in _V1_NAMES.items():
            if isinstance(data, dict) and name in data:
                raise _V1Name(
                    400, f"{name} is written as {here} here{example}", param=name, code="invalid_value"
                )
        return data


class LegacyJob(BaseModel):
    job_id: str
    status: Literal["queued", "in_progress", "completed", "failed", "cancelled"]
    progress: int
    created_at: int
    completed_at: int | None = None
    error: dict[str, str] | None = None
    status_url: str
    video_url: str | None = None


class LegacyVideo(BaseModel):
    """``POST /generate-video``: the finished MP4 inline."""

    job_id: str
    model: str
    seed: int | None
    format: Literal["mp4"] = "mp4"
    video: str = Field(description="The MP4, base64")
    duration_ms: int = Field(description="Length of the clip")
    generation_time_ms: int = Field(description="Wall time from submit to completed")


def to_create(data: dict[str, Any]) -> dict[str, Any]:
    """A legacy body as a ``/v1/videos`` create body."""
    legacy = parse_body(LegacyGenerate, data, tuple(LegacyGenerate.model_fields), files=("image",))
    if (legacy.width is None) != (legacy.height is None):
        raise ApiError(
            400,
            "give width and height together (or neither, for the model's default)",
            param="width" if legacy.width is None else "height",
        )
    body: dict[str, Any] = {
        "prompt": legacy.prompt,
        "model": legacy.model,
        "negative_prompt": legacy.negative_prompt,
        "num_frames": legacy.num_frames,
        "seconds": legacy.duration,
        "fps": legacy.fps,
        "num_inference_steps": legacy.steps,
        "guidance_scale": legacy.guidance,
        "seed": legacy.seed,
        "priority": legacy.priority,
    }
    if legacy.width is not None:
        body["size"] = f"{legacy.width}x{legacy.height}"
    if legacy.image_url is not None:
        body["input_reference"] = {"image_url": legacy.image_url}
    return {k: v for k, v in body.items() if v is not None}


#: ``/v1/videos`` names of the fields a legacy body maps onto, as the legacy body calls them; the
#: create path checks the mapped body, so its errors would name fields this caller never sent.
_LEGACY_NAMES = {
    "input_reference.image_url": "image_url",
    "input_reference": "image",
    "num_inference_steps": "steps",
    "guidance_scale": "guidance",
    "seconds": "duration",
}
_WIRE_NAME = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in _LEGACY_NAMES))


def in_legacy_terms(err: ApiError) -> ApiError:
    """``err`` naming the legacy fields (``duration``, ``width``, ``image`` ...) instead of the
    ``/v1/videos`` ones they became."""
    param = err.param
    if param == "size":  # width and height became "WxH"; the message says which one is wrong
        param = "height" if err.message.startswith("height") else "width"
    elif param is not None:
        param = _WIRE_NAME.sub(lambda m: _LEGACY_NAMES[m.group(0)], param)
    message = _WIRE_NAME.sub(lambda m: _LEGACY_NAMES[m.group(0)], err.message)
    return ApiError(err.status, message, param=param, code=err.code, headers=err.headers)


@asynccontextmanager
async def legacy_errors() -> AsyncIterator[None]:
    """Errors of the create path, said in the legacy body's own field names."""
    try:
        yield
    except _V1Name:
        raise
    except ApiError as exc:
        raise in_legacy_terms(exc) from None
    except ReelgenError as exc:
        raise in_legacy_terms(from_reelgen(exc)) from None


def legacy_job(request: Request, job: Job) -> LegacyJob:
    base = str(request.base_url).rstrip("/")
    done = job.status is JobStatus.COMPLETED
    return LegacyJob(
        job_id=job.id,
        status=job.status.value,
        progress=job.progress,
        created_at=int(job.created_at),
        completed_at=int(job.completed_at) if job.completed_at else None,
        error=job.error,
        status_url=f"{base}/api/video/status/{job.id}",
        video_url=f"{base}/v1/videos/{job.id}/content" if done else None,
    )


async def _legacy_create(request: Request, key: str | None, *, needs_image: bool) -> Job:
    data, files = await read_create_body(request, file_fields=("image", "input_reference"))
    images = [files[name] for name in ("image", "input_reference") if name in files]
    image = images[0] if images else None
    async with legacy_errors():
        body = parse_create(to_create(data))
        if len(images) + (body.input_reference is not None) > 1:  # one of them ran, the other unsaid
            # Two files, or a file and a URL: this route's words name input_reference as image.
            said = "one file, not two" if len(images) > 1 else "an `image` file or `image_url`, not both"
            raise ApiError(400, f"give the start image once: {said}", param="image")
        if needs_image and image is None and body.input_reference is None:
            raise ApiError(400, "animate needs a start image: an `image` file or `image_url`", param="image")
        job, _ = await create_job(request, body, {"input_reference": image} if image else {}, key)
    return job


@router.post(
    "/api/video/generate",
    status_code=202,
    response_model=LegacyJob,
    summary="Text to video (legacy)",
    responses=_CREATING,
)
async def generate(
    request: Request, body: LegacyGenerate, idempotency_key: IdempotencyKey = None
) -> LegacyJob:
    async with legacy_errors():
        job, _ = await create_job(request, parse_create(to_create(body.model_dump())), {}, idempotency_key)
    return await run_in_threadpool(legacy_job, request, job)


@router.post(
    "/api/video/animate",
    status_code=202,
    response_model=LegacyJob,
    summary="Image to video (legacy)",
    responses={
        **_CREATING,
        415: {"model": ErrorEnvelope, "description": "Body neither JSON nor multipart/form-data"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": {"$ref": "#/components/schemas/LegacyAnimateForm"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/LegacyGenerate"}},
            },
        }
    },
)
async def animate(request: Request, idempotency_key: IdempotencyKey = None) -> LegacyJob:
    """Multipart with an ``image`` file and the generate fields, or JSON with ``image_url``."""
    job = await _legacy_create(request, idempotency_key, needs_image=True)
    return await run_in_threadpool(legacy_job, request, job)


@router.get("/api/video/status/{job_id}", response_model=LegacyJob, summary="Job status (legacy)")
def job_status(request: Request, job_id: str) -> LegacyJob:
    # Only videos: a finished batch's or project's status pointed its video_url at a 404.
    try:
        job = video_of(service_of(request), job_id)
    except JobNotFound as exc:  # the path names it job_id here, not video_id as under /v1/videos
        raise ApiError(404, exc.message, param="job_id", code="not_found") from None
    except ApiError as exc:  # a job of another kind, said to be one
        raise ApiError(exc.status, exc.message, param="job_id", code=exc.code) from None
    return legacy_job(request, job)


@router.post(
    "/generate-video",
    response_model=LegacyVideo,
    summary="Generate and wait; the MP4 comes back base64",
    responses={
        202: {
            "model": LegacyJob,
            "description": "Not finished in time; the job keeps running: poll status_url",
        },
        409: {
            "model": ErrorEnvelope,
            "description": f"{_REUSED}; or the job was cancelled while waited for",
        },
        422: {"model": ErrorEnvelope, "description": "The job failed: the error's code and message say why"},
        413: _CREATING[413],
        415: _CREATING[415],
        503: _CREATING[503],
        507: _CREATING[507],
    },
)
async def generate_video(
    request: Request, body: LegacyGenerate, idempotency_key: IdempotencyKey = None
) -> Response:
    """Waits up to ``REELGEN_WAIT_TIMEOUT_S`` for the job; after that answers 202 with its status."""
    began = time.monotonic()
    async with legacy_errors():
        job, _ = await create_job(request, parse_create(to_create(body.model_dump())), {}, idempotency_key)
    service = service_of(request)
    job = await wait_ended(request, job.id, settings_of(request).wait_timeout_s)
    if not job.terminal:
        pending = await run_in_threadpool(legacy_job, request, job)
        return JSONResponse(pending.model_dump(mode="json"), status_code=202)
    if job.status is not JobStatus.COMPLETED:
        error = job.error or {"code": job.status.value, "message": job.status.value}
        raise ApiError(
            422 if job.status is JobStatus.FAILED else 409,
            f"{job.id} {job.status.value}: {error['message']}",
            code=error["code"],
        )
    path = service.content(job.id)
    if path is None:
        raise ApiError(404, f"the video of {job.id} was removed", code="content_removed")
    data = await run_in_threadpool(path.read_bytes)
    seconds = (job.num_frames or 0) / job.fps if job.fps else 0.0
    video = LegacyVideo(
        job_id=job.id,
        model=job.model,
        seed=job.seed,
        video=base64.b64encode(data).decode(),
        duration_ms=round(seconds * 1000),
        generation_time_ms=round((time.monotonic() - began) * 1000),
    )
    return JSONResponse(video.model_dump(mode="json"))


async def wait_ended(request: Request, job_id: str, timeout_s: float) -> Job:
    """The job once it ended, or as it is after ``timeout_s``, waited for on the event loop.

    It waited in a worker thread (``JobService.wait``): forty callers waiting at once took every
    thread Starlette runs sync routes in, so /healthz, the page and every other route stalled
    until a wait ended (up to REELGEN_WAIT_TIMEOUT_S, ten minutes by default)."""
    service = service_of(request)
    wakeups: Wakeups = request.app.state.wakeups
    deadline = time.monotonic() + timeout_s
    stopping = False
    with wakeups.subscribe(job_id) as signal:
        while True:
            signal.clear()  # before reading, so an event committed meanwhile still wakes us
            job = await run_in_threadpool(service.get, job_id)
            remaining = deadline - time.monotonic()
            # A stopping server answers as the job stands (a 202 to ask again), not cut off at its grace.
            if job.terminal or remaining <= 0 or stopping:
                return job
            # Events of this process wake us; the second catches another process's writes.
            stopping = await wakeups.pause(signal, min(1.0, remaining))


class LegacyHealth(BaseModel):
    """The first server's ``GET /health``: alive, its default model, the GPU, and whether it is loaded."""

    status: Literal["ok"] = "ok"
    model: str = Field(description="The model a request without one gets")
    gpu: str | None = Field(description="The first worker's GPU, or null on CPU workers")
    warm: bool = Field(description="Whether that model is loaded on a worker now")


@health_router.get("/health", response_model=LegacyHealth, summary="Liveness, model and GPU (legacy shape)")
def health(request: Request) -> LegacyHealth:
    """Answers from what the workers last reported; it never waits for one (``/readyz`` asks them)."""
    model = settings_of(request).default_model
    if model == "auto":
        from reelgen.core.auto_model import auto_model

        model = auto_model()[0]  # what a text-to-video request without a model gets now
    workers = service_of(request).workers()
    gpus = [w.get("device_name") for w in workers if w.get("gpus") and w.get("device_name")]
    warm = any(model in (w.get("loaded_models") or []) for w in workers if w.get("alive"))
    return LegacyHealth(model=model, gpu=gpus[0] if gpus else None, warm=warm)

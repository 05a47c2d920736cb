"""Translations between the wire and the job layer: create bodies to requests, jobs to video objects."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from reelgen.api.errors import ApiError, api_param
from reelgen.api.schemas import VideoCreate, VideoError, VideoMetrics, VideoObject, VideoUrls
from reelgen.api.settings import ApiSettings
from reelgen.core.spec.request import GenerationRequest
from reelgen.jobs.records import Job

_SIZE = re.compile(r"^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$")
GIB = 1024**3


def parse_size(size: str | None) -> tuple[int | None, int | None]:
    if size is None:
        return None, None
    match = _SIZE.match(size)
    if not match:
        raise ApiError(400, f"size {size!r} must look like WIDTHxHEIGHT, e.g. 832x480", param="size")
    return int(match[1]), int(match[2])


def parse_seconds(seconds: str | float | None) -> float | None:
    if seconds is None:
        return None
    try:
        value = float(seconds)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise ApiError(400, f'seconds {seconds!r} must be a number above 0, e.g. "4"', param="seconds")
    return value


def to_request(body: VideoCreate, settings: ApiSettings, start_image: str | None = None) -> GenerationRequest:
    """The core request a create body asks for; limits of this server are checked here."""
    if len(body.prompt) > settings.max_prompt_chars:
        raise ApiError(
            400,
            f"prompt has {len(body.prompt)} characters; the limit is {settings.max_prompt_chars}",
            param="prompt",
        )
    if body.priority > settings.max_priority:
        raise ApiError(
            400,
            f"priority {body.priority} is above this server's cap of {settings.max_priority}",
            param="priority",
        )
    width, height = parse_size(body.size)
    fields: dict[str, Any] = dict(
        model=body.model or settings.default_model,
        prompt=body.prompt,
        task=body.task,
        negative_prompt=body.negative_prompt,
        width=width,
        height=height,
        num_frames=body.num_frames,
        seconds=parse_seconds(body.seconds),
        fps=body.fps,
        steps=body.num_inference_steps,
        guidance=body.guidance_scale,
        guidance_2=body.guidance_scale_2,
        seed=body.seed,
        start_image=start_image,
        options=body.options,
    )
    try:
        return GenerationRequest(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = api_param(".".join(str(p) for p in first["loc"]) or None)
        message = str(first["msg"]).removeprefix("Value error, ")
        if param is None and "num_frames or seconds" in message:
            param = "seconds"
        raise ApiError(400, f"{param or 'request'}: {message}", param=param) from None


def remix_request(parent: Job, overrides: dict[str, Any]) -> GenerationRequest:
    """The parent's resolved request with a new prompt and the given overrides."""
    names = {"num_inference_steps": "steps", "guidance_scale": "guidance"}
    data = dict(parent.request)
    for key, value in overrides.items():
        if value is not None:
            data[names.get(key, key)] = value
    return GenerationRequest.model_validate(data)


def _seconds_text(job: Job) -> str:
    seconds = job.seconds
    if seconds is None and job.num_frames and job.fps:
        seconds = job.num_frames / job.fps
    return f"{seconds:g}" if seconds is not None else "0"


def _metrics(job: Job) -> VideoMetrics:
    m = job.metrics or {}
    peak = m.get("peak_vram_gib")
    return VideoMetrics(
        queue_seconds=m.get("queue_s"),
        run_seconds=m.get("run_s"),
        gpu_seconds=m.get("gpu_s"),
        peak_vram_bytes=int(peak * GIB) if isinstance(peak, int | float) else None,
        cost_usd=m.get("cost"),
    )


def video_object(job: Job, base: str, queue_position: int | None, retention_days: float) -> VideoObject:
    """A job as OpenAI's video object plus reelgen's fields; ``base`` is the server's URL root."""
    own = f"{base}/v1/videos/{job.id}"
    done = job.status.value == "completed"
    expires = None
    if done and job.completed_at is not None and retention_days > 0:
        expires = int(job.completed_at + retention_days * 86400)
    error = job.error
    return VideoObject(
        id=job.id,
        model=job.model,
        status=job.status.value,
        progress=max(0, min(100, job.progress)),
        created_at=int(job.created_at),
        started_at=int(job.started_at) if job.started_at else None,
        completed_at=int(job.completed_at) if job.completed_at else None,
        expires_at=expires,
        error=VideoError(**error) if error else None,
        prompt=job.prompt,
        remixed_from_video_id=job.remixed_from,
        seconds=_seconds_text(job),
        size=job.size or "",
        width=job.width,
        height=job.height,
        seed=job.seed,
        num_frames=job.num_frames,
        fps=job.fps,
        priority=job.priority,
        queue_position=queue_position,
        attempts=job.attempts,
        urls=VideoUrls(
            self=own,
            content=f"{own}/content" if done and not job.data_removed else None,
            thumbnail=f"{own}/content?variant=thumbnail" if done and not job.data_removed else None,
            events=f"{own}/events",
            cancel=f"{own}/cancel",
        ),
        metrics=_metrics(job),
        metadata={str(k): str(v) for k, v in job.metadata.items()} or None,
    )

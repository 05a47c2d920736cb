"""Reading a create request: JSON or multipart bodies, uploaded or fetched images, webhooks."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import anyio
from anyio import CapacityLimiter
from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from reelgen.api.deps import service_of, settings_of
from reelgen.api.errors import ApiError
from reelgen.api.security import (
    FetchPolicy,
    check_public_url,
    decode_image,
    fetch_url,
    probe_video,
    read_image_header,
)
from reelgen.api.settings import ApiSettings
from reelgen.api.wire import JsonBody, VideoCreate, parse_body
from reelgen.jobs import kinds
from reelgen.jobs.records import Job
from reelgen.jobs.service import JobService, Webhook

_JSON_FIELDS = {"options", "metadata", "webhook", "input_reference"}
#: How deep a request body may nest (JSON arrays and objects, form brackets); the create bodies
#: need four levels at most, and Python's parsers give up near a thousand.
MAX_DEPTH = 32
_FORM_DEPTH = 4


def nesting_depth(value: Any) -> int:
    """How deeply ``value`` nests lists and dicts (iteratively: no recursion to run out of)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                pending.extend(
                    (inner, depth + 1) for inner in (item.values() if isinstance(item, dict) else item)
                )
    return deepest


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Form keys in OpenAI's bracket style (``input_reference[image_url]``) become nested dicts."""
    if key.count("[") > _FORM_DEPTH:
        raise ApiError(400, f"form field {key[:60]!r} nests deeper than {_FORM_DEPTH} levels", param=key[:60])
    head, _, rest = key.partition("[")
    if not rest:
        if head in _JSON_FIELDS and isinstance(value, str) and value.lstrip().startswith("{"):
            try:
                value = json.loads(value)
            except ValueError:
                raise ApiError(400, f"{head} must be a JSON object", param=head) from None
        out[head] = value
        return
    inner = out.setdefault(head, {})
    if not isinstance(inner, dict):
        raise ApiError(400, f"{head} is given twice, once as a value and once as fields", param=head)
    _put(inner, rest.replace("]", "", 1), value)


async def read_create_body(
    request: Request, file_fields: tuple[str, ...] = ("input_reference", "source_video")
) -> tuple[dict[str, Any], dict[str, UploadFile]]:
    """The create body as a dict plus any uploaded files, from JSON or multipart/form-data."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=2, max_fields=64, max_part_size=1024 * 1024)
        data: dict[str, Any] = {}
        files: dict[str, UploadFile] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if key not in file_fields:
                    raise ApiError(
                        400, f"file field {key!r} is unknown; valid: {', '.join(file_fields)}", param=key
                    )
                files[key] = value
            else:
                _put(data, key, value)
        return data, files
    if kind in ("application/json", ""):
        too_deep = ApiError(400, f"request body nests deeper than {MAX_DEPTH} levels")
        try:
            parsed = json.loads(await request.body() or b"null")
        except ValueError as exc:
            raise ApiError(400, f"request body is not valid JSON ({exc})") from None
        except RecursionError:  # nested past what the parser can follow
            raise too_deep from None
        if nesting_depth(parsed) > MAX_DEPTH:
            raise too_deep
        if not isinstance(parsed, dict):
            raise ApiError(400, "request body must be a JSON object with at least a prompt")
        return JsonBody(parsed), {}
    raise ApiError(
        415, f"content type {kind!r} is not accepted; send application/json or multipart/form-data"
    )


def parse_create(data: dict[str, Any]) -> Any:
    """A create body as ``VideoCreate``; server-side fields and bad values are a 400 naming the field."""
    return parse_body(VideoCreate, data)


# ---- inputs --------------------------------------------------------------------------------


class SavedInputs:
    """Input files written for one create call; removed again unless a new job took them."""

    def __init__(self, service: JobService) -> None:
        self.service = service
        self.paths: list[Path] = []
        self.digest: dict[str, str] = {}

    def discard_unless_used(self, job: Job | None) -> None:
        used = set() if job is None else {str(Path(p)) for p in kinds.input_paths(job)}
        for path in self.paths:
            if str(path) not in used:
                self.service.discard_input(path)


async def _image_bytes(request: Request, body: Any, upload: UploadFile | None) -> bytes | None:
    settings = settings_of(request)
    if upload is not None:
        return await upload.read()
    if body.input_reference is None:
        return None
    policy = FetchPolicy(settings.fetch_timeout_s, settings.fetch_max_bytes, settings.fetch_allow_http)
    return await run_in_threadpool(fetch_url, body.input_reference.image_url, policy)


def decodes(request: Request) -> CapacityLimiter:
    """The app's bound on concurrent image and video decodes (``max_concurrent_decodes``)."""
    limiter: CapacityLimiter | None = getattr(request.app.state, "decodes", None)
    if limiter is None:
        limiter = request.app.state.decodes = CapacityLimiter(settings_of(request).max_concurrent_decodes)
    return limiter


async def save_inputs(
    request: Request, body: Any, files: dict[str, UploadFile], saved: SavedInputs
) -> dict[str, str]:
    """Probe the start image and source video (if any) and store them under server-made names.

    Sizes are read from the headers first, so an image or video too large is
    refused without a pixel decoded; the one full decode that checks the file
    waits for a slot of ``max_concurrent_decodes``, so a burst of large uploads
    cannot multiply the API's memory.
    """
    settings = settings_of(request)
    service = service_of(request)
    fields: dict[str, str] = {}
    image = await _image_bytes(request, body, files.get("input_reference"))
    if image is not None:
        probed = await run_in_threadpool(read_image_header, image, settings.max_image_pixels)
        await anyio.to_thread.run_sync(functools.partial(decode_image, image), limiter=decodes(request))
        path = await run_in_threadpool(service.save_input, probed.data, probed.suffix)
        saved.paths.append(path)
        saved.digest["input_reference"] = hashlib.sha256(image).hexdigest()
        fields["start_image"] = str(path)
    if "source_video" in files:
        video = await files["source_video"].read()
        probe = functools.partial(probe_video, video, settings.max_video_seconds, settings.max_video_side)
        suffix = await anyio.to_thread.run_sync(probe, limiter=decodes(request))
        path = await run_in_threadpool(service.save_input, video, suffix)
        saved.paths.append(path)
        saved.digest["source_video"] = hashlib.sha256(video).hexdigest()
        fields["source_video"] = str(path)
    return fields


def make_webhook(body: Any, settings: ApiSettings) -> Webhook | None:
    """The job's webhook; its host must be public unless the server allows private targets."""
    if body.webhook is None:
        return None
    if not settings.allow_private_webhooks:
        check_public_url(body.webhook.url, "webhook.url")
    if body.webhook.events:
        return Webhook(body.webhook.url, list(body.webhook.events))
    return Webhook(body.webhook.url)

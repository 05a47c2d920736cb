"""Reading a create request: JSON or multipart bodies, uploaded or fetched images, webhooks."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import anyio
from anyio import CapacityLimiter
from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from reelgen.api.body_json import load_body, nesting_depth
from reelgen.api.deps import service_of, settings_of
from reelgen.api.errors import ApiError, from_reelgen
from reelgen.api.form_files import FileHint, create_file_hint, unknown_file
from reelgen.api.form_read import read_form
from reelgen.api.remix_inputs import refuse_remix_file
from reelgen.api.schemas import MAX_KEYFRAMES
from reelgen.api.security import (
    FetchPolicy,
    check_public_url,
    decode_image,
    fetch_url,
    probe_video,
    read_image_header,
)
from reelgen.api.settings import ApiSettings
from reelgen.api.upload_words import said_for_what_it_is
from reelgen.api.wire import JSON_SHAPES, JsonBody, VideoCreate, parse_body
from reelgen.core.spec.request import strength_without_video
from reelgen.jobs import kinds
from reelgen.jobs.records import Job
from reelgen.jobs.service import JobService
from reelgen.jobs.webhooks import Webhook

#: Form fields that may carry a JSON object or list as their text.
_JSON_FIELDS = frozenset(JSON_SHAPES)
#: The file fields of a create; ``keyframe_images`` repeats, one file per keyframe.
CREATE_FILES = ("input_reference", "end_image", "source_video", "keyframe_images")
CREATE_REPEATED: Mapping[str, int] = MappingProxyType({"keyframe_images": MAX_KEYFRAMES})
_FORM_DEPTH = 4


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Form keys in OpenAI's bracket style (``input_reference[image_url]``) become nested dicts."""
    if key.count("[") > _FORM_DEPTH:
        raise ApiError(400, f"form field {key[:60]!r} nests deeper than {_FORM_DEPTH} levels", param=key[:60])
    head, _, rest = key.partition("[")
    if not rest:
        if head in _JSON_FIELDS and isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                why = f"{exc.msg} at character {exc.pos}"
                raise ApiError(
                    400, f"{head} is not valid JSON ({why}); give {JSON_SHAPES[head]}", param=head
                ) from None
            except (ValueError, RecursionError):
                raise ApiError(
                    400, f"{head} is not valid JSON; give {JSON_SHAPES[head]}", param=head
                ) from None
            if nesting_depth(value) > _FORM_DEPTH:
                raise ApiError(400, f"{head} nests deeper than {_FORM_DEPTH} levels", param=head)
        if head in out:  # the last of two was taken without a word, as JSON's duplicate names were
            raise ApiError(400, f"{head} is given twice; send it once", param=head)
        out[head] = value
        return
    if rest.startswith("]"):
        _put_item(out, head, rest[1:], value)
        return
    inner = out.setdefault(head, {})
    if not isinstance(inner, dict):
        raise ApiError(400, f"{head} is given twice, once as a value and once as fields", param=head)
    _put(inner, rest.replace("]", "", 1), value)


def _put_item(out: dict[str, Any], head: str, tail: str, value: Any) -> None:
    """``head[]`` (one item of a list) and ``head[][field]`` (a field of an object in a list): how the
    openai SDK sends a list in a form (``webhook[events][]``, ``loras[][name]``). A field the last
    object already has starts the next object."""
    items = out.setdefault(head, [])
    if not isinstance(items, list):
        raise ApiError(400, f"{head} is given twice, once as a list and once otherwise", param=head)
    if not tail:
        items.append(value)
        return
    field = tail.removeprefix("[").replace("]", "", 1)
    # loras[][] (or loras[]x) was read as a field named "" and answered "loras[0].name is required".
    if not tail.startswith("[") or not field.partition("[")[0]:
        shapes = f"; {_INDEXED[head]}" if head in _INDEXED else ""
        raise ApiError(400, f"{head}: {head}[]{tail} names no field{shapes}", param=head)
    if not items or not isinstance(items[-1], dict) or field.partition("[")[0] in items[-1]:
        items.append({})
    _put(items[-1], field, value)


#: List fields a form may send entry by entry under a number, as qs, axios and PHP write a list
#: of objects (``loras[0][name]``, ``loras[0][strength]``), with the shapes a refusal shows.
_INDEXED = MappingProxyType(
    {
        "loras": "give loras[0][name]=style.safetensors with loras[0][strength]=0.8 (then "
        'loras[1][...]), or the one field loras=[{"name": "style.safetensors", "strength": 0.8}]',
        "keyframes": "give keyframes[0][frame]=0 with keyframes[0][strength]=1.0 (then keyframes[1][...]) "
        'and one keyframe_images file per entry, or the one field keyframes=[{"frame": 0, "strength": 1.0}]',
    }
)


class _Numbered(dict[int, dict[str, Any]]):
    """A list field's entries as a form sent them, by their number: made a list once all are read."""


def _put_numbered(out: dict[str, Any], head: str, rest: str, value: Any) -> None:
    """``head[N][field]``: ``field`` of entry ``N`` of the list ``head``, which was read as an object
    keyed "0", "1" ... and answered "loras: Input should be a valid list"."""
    number, _, field = rest.partition("]")
    key = f"{head}[{number}]"
    if not (number.isascii() and number.isdigit() and len(number) <= 6):
        raise ApiError(400, f"{head}: {key} names no entry; {_INDEXED[head]}", param=head)
    if number != str(int(number)):  # loras[00][name] and loras[0][strength] were one entry
        raise ApiError(400, f"{head}: {key} is numbered with a leading zero; {_INDEXED[head]}", param=head)
    if not field:
        raise ApiError(
            400, f"{head}: {key} is {str(value)[:60]}, not an entry's fields; {_INDEXED[head]}", param=head
        )
    entries = out.setdefault(head, _Numbered())
    if not isinstance(entries, _Numbered):
        raise ApiError(400, f"{head} is given twice, as {key}[...] and otherwise; send it once", param=head)
    entry = entries.setdefault(int(number), {})
    name = field.removeprefix("[").replace("]", "", 1)
    if not field.startswith("[") or not name.partition("[")[0]:  # it was "loras[0]. is not a known field"
        raise ApiError(400, f"{head}: {key}{field} names no field; {_INDEXED[head]}", param=head)
    if name.partition("[")[0] in entry:
        raise ApiError(400, f"{head}: {key}{field} is given twice; {_INDEXED[head]}", param=head)
    _put(entry, name, value)


def _listed(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each numbered list field a list in the order of its numbers, 0, 1, 2 ..."""
    for head, entries in data.items():
        if isinstance(entries, _Numbered):
            gap = next(i for i in range(len(entries) + 1) if i not in entries)
            if gap < len(entries):
                later = min(n for n in entries if n > gap)
                raise ApiError(
                    400, f"{head}: {head}[{later}] comes without {head}[{gap}]; {_INDEXED[head]}", param=head
                )
            data[head] = [entries[i] for i in range(len(entries))]
    return data


async def read_create_body(
    request: Request,
    file_fields: tuple[str, ...] = CREATE_FILES,
    repeated: Mapping[str, int] = CREATE_REPEATED,
    file_hint: FileHint | None = None,
) -> tuple[dict[str, Any], dict[str, UploadFile]]:
    """The create body as a dict plus any uploaded files, from JSON or multipart/form-data.

    A file field of ``repeated`` may come up to its count of times; its files are keyed
    ``name[0]``, ``name[1]`` ... in the order sent. Any other file field comes once.
    ``file_hint`` says where a file part the route does not take goes (a create's, by default).
    """
    if file_hint is None and file_fields == CREATE_FILES:
        file_hint = create_file_hint
    # The remix route takes no files, and an image sent with one was told "if input_reference is a text field".
    remix = not file_fields and file_hint is None and request.url.path.endswith("/remix")
    repeated = {key: n for key, n in repeated.items() if key in file_fields}
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        max_files = max(2, len(file_fields)) + sum(n - 1 for n in repeated.values())
        form = await read_form(
            request,
            max_files=max_files,
            max_fields=64,
            takes=f"the fields {request.url.path} lists in /docs",
            # The server's cap, not the core's 20,000: with the default 4000 it promised 20,000.
            too_long=f"a prompt holds at most {settings_of(request).max_prompt_chars:,} characters "
            "(REELGEN_MAX_PROMPT_CHARS); send an image as a file part, not a data: URL",
            file_fields=file_fields,
        )
        data: dict[str, Any] = {}
        files: dict[str, UploadFile] = {}
        counts: dict[str, int] = {}
        for key, value in form.multi_items():
            if kind == "application/x-www-form-urlencoded" and key.lstrip().startswith(("{", "[")):
                # JSON sent as a form (curl -d's default type) reads as one field named by the
                # whole body: "prompt is required" for a body that holds a prompt.
                raise ApiError(
                    415,
                    "the body is JSON but came as application/x-www-form-urlencoded; send it with "
                    "Content-Type: application/json",
                    code="unsupported_media_type",
                )
            if isinstance(value, UploadFile):
                if key not in file_fields:
                    raise (refuse_remix_file(key) if remix else None) or unknown_file(
                        key, file_fields, file_hint
                    )
                n = counts[key] = counts.get(key, 0) + 1
                if key in repeated and n > repeated[key]:
                    raise ApiError(400, f"{key}: at most {repeated[key]} files, one per entry", param=key)
                if key not in repeated and n > 1:
                    raise ApiError(400, f"file field {key!r} is given twice; send it once", param=key)
                files[f"{key}[{n - 1}]" if key in repeated else key] = value
            else:
                head, _, rest = key.partition("[")
                if head in _INDEXED and rest and not rest.startswith("]"):
                    _put_numbered(data, head, rest, value)
                else:
                    _put(data, key, value)
        return _listed(data), files
    if kind in ("application/json", ""):
        parsed = load_body(await request.body())
        if not isinstance(parsed, dict):
            raise ApiError(400, "request body must be a JSON object of named fields (/docs lists them)")
        return JsonBody(parsed), {}
    raise ApiError(
        415, f"content type {kind!r} is not accepted; send application/json or multipart/form-data"
    )


def parse_create(data: dict[str, Any]) -> Any:
    """A create body as ``VideoCreate``; server-side fields and bad values are a 400 naming the field."""
    return parse_body(VideoCreate, data, files=CREATE_FILES)


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


#: Where an image comes from: an upload, or a URL to fetch (https or data:).
Source = UploadFile | str


def _image_sources(body: Any, files: dict[str, UploadFile]) -> dict[str, tuple[Source, str]]:
    """Every image of the create by the digest key it is recorded under, with its source and the
    parameter its errors name; a 400 before anything is read when the uploads and fields disagree."""
    out: dict[str, tuple[Source, str]] = {}
    if "input_reference" in files:
        out["input_reference"] = (files["input_reference"], "input_reference")
    elif body.input_reference is not None:
        out["input_reference"] = (body.input_reference.image_url, "input_reference.image_url")
    if "end_image" in files and body.end_reference is not None:
        raise ApiError(
            400,
            "end_image: give the end image once, as the file end_image or as end_reference",
            param="end_image",
        )
    if "end_image" in files:
        out["end_image"] = (files["end_image"], "end_image")
    elif body.end_reference is not None:
        out["end_image"] = (body.end_reference.image_url, "end_reference.image_url")
    keys = body.keyframes or []
    uploads = [
        files[f"keyframe_images[{j}]"] for j in range(sum(k.startswith("keyframe_images[") for k in files))
    ]
    if uploads and not keys:
        raise ApiError(
            400,
            'keyframes: keyframe_images came without keyframes; send keyframes as JSON, e.g. [{"frame": 0, '
            '"strength": 1.0}, {"frame": 16}], one entry per file in the same order',
            param="keyframes",
        )
    wanting = sum(k.image_url is None for k in keys)
    if wanting != len(uploads):
        raise ApiError(
            400,
            f"keyframe_images: {wanting} keyframes take an uploaded image (those without an image_url) but "
            f"{len(uploads)} keyframe_images files came; send one file per such keyframe, in the order of keyframes",
            param="keyframe_images",
        )
    files_left = iter(enumerate(uploads))
    for i, key in enumerate(keys):
        if key.image_url is not None:
            out[f"keyframes[{i}]"] = (key.image_url, f"keyframes[{i}].image_url")
        else:
            j, upload = next(files_left)
            out[f"keyframes[{i}]"] = (upload, f"keyframe_images[{j}]")
    return out


def decodes(request: Request) -> CapacityLimiter:
    """The app's bound on concurrent image and video decodes (``max_concurrent_decodes``)."""
    limiter: CapacityLimiter | None = getattr(request.app.state, "decodes", None)
    if limiter is None:
        limiter = request.app.state.decodes = CapacityLimiter(settings_of(request).max_concurrent_decodes)
    return limiter


async def _store_image(request: Request, source: Source, param: str, key: str, saved: SavedInputs) -> str:
    """Read or fetch one image, check it (header first, then one bounded decode) and store it."""
    settings = settings_of(request)
    if isinstance(source, str):
        policy = FetchPolicy(settings.fetch_timeout_s, settings.fetch_max_bytes, settings.fetch_allow_http)
        image = await run_in_threadpool(fetch_url, source, policy, param)
        param = param.removesuffix(".image_url")
    else:
        image = await source.read()
    try:
        probed = await run_in_threadpool(read_image_header, image, settings.max_image_pixels, param)
    except ApiError as exc:
        raise await run_in_threadpool(said_for_what_it_is, exc, image) from None
    await anyio.to_thread.run_sync(functools.partial(decode_image, image, param), limiter=decodes(request))
    sent_as = source.filename if isinstance(source, UploadFile) else source  # the record names it so
    path = await run_in_threadpool(service_of(request).save_input, probed.data, probed.suffix, sent_as)
    saved.paths.append(path)
    saved.digest[key] = hashlib.sha256(image).hexdigest()
    return str(path)


async def save_inputs(
    request: Request, body: Any, files: dict[str, UploadFile], saved: SavedInputs
) -> dict[str, Any]:
    """Probe the images (start, end, keyframes) and source video and store them under server-made
    names; returns the core request's fields that name them.

    Sizes are read from the headers first, so an image or video too large is
    refused without a pixel decoded; the one full decode that checks the file
    waits for a slot of ``max_concurrent_decodes``, so a burst of large uploads
    cannot multiply the API's memory.
    """
    settings = settings_of(request)
    if "source_strength" in body.model_fields_set and "source_video" not in files:
        raise from_reelgen(strength_without_video())  # before any file is stored
    fields: dict[str, Any] = {}
    images = {
        key: await _store_image(request, src, param, key, saved)
        for key, (src, param) in _image_sources(body, files).items()
    }
    if "input_reference" in images:
        fields["start_image"] = images["input_reference"]
    if "end_image" in images:
        fields["end_image"] = images["end_image"]
    if body.keyframes:
        fields["keyframes"] = [
            {"image": images[f"keyframes[{i}]"], "frame": key.frame, "strength": key.strength}
            for i, key in enumerate(body.keyframes)
        ]
    if "source_video" in files:
        video = await files["source_video"].read()
        probe = functools.partial(probe_video, video, settings.max_video_seconds, settings.max_video_side)
        suffix = await anyio.to_thread.run_sync(probe, limiter=decodes(request))
        sent_as = files["source_video"].filename
        path = await run_in_threadpool(service_of(request).save_input, video, suffix, sent_as)
        saved.paths.append(path)
        saved.digest["source_video"] = hashlib.sha256(video).hexdigest()
        fields["source_video"] = str(path)
    return fields


def make_webhook(body: Any, settings: ApiSettings) -> Webhook | None:
    """The job's webhook; its host must be public unless the server allows private targets."""
    if body.webhook is None:
        return None
    # Made first: it refuses a URL no request could go to (port 99999, "http://[::1") by name,
    # which the address check below would meet as a ValueError (a 500).
    hook = (
        Webhook(body.webhook.url, list(body.webhook.events))
        if body.webhook.events
        else Webhook(body.webhook.url)
    )
    if not settings.allow_private_webhooks:
        check_public_url(body.webhook.url, "webhook.url")
    return hook

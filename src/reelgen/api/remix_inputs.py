"""Whether a video can be remixed (generated, its inputs still here), and what a remix keeps of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from reelgen.api.errors import ApiError
from reelgen.core.spec.request import ResolvedRequest
from reelgen.jobs import kinds
from reelgen.jobs.records import Job
from reelgen.jobs.webhooks import Webhook

#: A video's input files as a create body sends them: what each was, and the field that took it.
_SENT_AS = {
    "start_image": ("the image it started from", "input_reference"),
    "end_image": ("its end image", "end_image"),
    "source_video": ("the video it was made from", "source_video"),
    "keyframes": ("the image of its keyframe {i}", "keyframe_images"),
    "reference_images": ("its reference image {i}", "reference_images"),
}
#: A file part a remix may be sent (one a create takes): the field a new video takes it in, and what
#: the remix keeps in its place.
_UPLOADS = {
    "input_reference": ("input_reference", "start image"),
    "image": ("input_reference", "start image"),
    "start_image": ("input_reference", "start image"),
    "end_image": ("end_image", "end image"),
    "source_video": ("source_video", "source video"),
    "keyframe_images": ("keyframe_images", "keyframe images"),
}
_GONE = (
    "cannot be remixed: {input} is no longer on the server (an upload goes once its video's files "
    "expire); make a new video with POST /v1/videos, sending the {kind} again"
)


def remixable(parent: Job) -> ResolvedRequest:
    """The request ``parent`` was made from, when it is a generated video; else a 400."""
    if parent.kind != kinds.RENDER:
        made = f"video {parent.remixed_from}" if parent.remixed_from else "an uploaded file"
        how = f"was made by enhancing {made}"
        if parent.kind == kinds.AVATAR:
            how = "is a talking avatar (it has no prompt); make another with POST /v1/avatars"
        _refuse(parent, f"{how}; only a generated video can be remixed")
    request = kinds.payload_of(parent)
    assert isinstance(request, ResolvedRequest)
    return request


def inputs_kept(
    parent: Job, request: ResolvedRequest, here: Callable[[str], str] | None = None
) -> ResolvedRequest:
    """``request`` (``parent``'s), once its input files and LoRAs are known to be on the server; else a 400.
    ``here`` maps a recorded input path to where it lies now (a moved data folder); the request
    returned names them there.

    A remix runs from the parent's own inputs: one whose upload retention removed (or whose LoRA
    left the folder) was "input_reference: file /srv/.../inputs/...png does not exist", a server
    path and a field the remix never sent. Asked only for a new remix: a replay answers regardless."""
    where = here or str
    moved = {param: where(path) for param, path in request.input_files() if where(path) != path}
    request = request.with_input_files(moved) if moved else request
    for param, path in request.input_files():
        if not Path(path).is_file():
            kind = "video" if param == "source_video" else "image"
            # The create field it was sent in, for a client to say it in its own terms (the CLI's --image).
            field = _SENT_AS.get(param.partition("[")[0], ("", param))[1]
            _refuse(parent, _GONE.format(input=_input_named(param), kind=kind), {"missing_input": field})
    for i, lora in enumerate(request.loras):
        if not Path(lora.path).is_file():
            _refuse(
                parent,
                f"cannot be remixed: its LoRA {Path(lora.path).name!r} (loras[{i}].name) is no longer in "
                "the server's LoRA folder; put it back (GET /v1/loras lists the folder), or make a new "
                "video with POST /v1/videos",
                {"missing_lora": Path(lora.path).name},
            )
    return request


def refuse_remix_file(key: str) -> ApiError | None:
    """The 400 for a file part ``key`` sent with a remix, when a create takes such a file; else None.

    ``curl -F input_reference=@red.png .../remix`` was told "file field 'input_reference' is unknown
    ... if input_reference is a text field, send its text": the image is no text field, and the
    client is left thinking a remix could take it under another name."""
    if key not in _UPLOADS:
        return None
    field, what = _UPLOADS[key]
    kind = "video" if field == "source_video" else "image"
    example = "clip.mp4" if kind == "video" else "start.png"
    return ApiError(
        400,
        f"a remix takes no files: it keeps the remixed video's {what} and its other inputs, "
        f"and takes no new {kind}; to start from another {kind}, make a new video "
        f"with POST /v1/videos, sending the {kind} as the file field {field} "
        f"(curl -F prompt=... -F '{field}=@{example}')",
        param=key,
        code="invalid_value",
    )


def kept_of(parent: Job) -> tuple[Webhook | None, dict[str, str] | None]:
    """The webhook and metadata a remix keeps of ``parent``: "it stays the remixed video's", a remix body
    setting either is told, and both were dropped. The sender checks the hook's address as it sends."""
    hook = None
    if parent.webhook_url:
        events = list(parent.webhook_events)
        hook = Webhook(parent.webhook_url, events) if events else Webhook(parent.webhook_url)
    return hook, {str(k): str(v) for k, v in parent.metadata.items()} or None


def _input_named(param: str) -> str:
    """``keyframes[1].image`` as "the image of its keyframe 1 (keyframe_images)"."""
    name, _, rest = param.partition("[")
    index = rest.partition("]")[0]
    what, field = _SENT_AS.get(name, (f"its input {name}", name))
    return f"{what.format(i=index)} ({field})"


def _refuse(parent: Job, why: str, extra: dict[str, str] | None = None) -> NoReturn:
    raise ApiError(400, f"video {parent.id} {why}", param="video_id", code="not_remixable", extra=extra)

"""A server's field names, in its refusals and failures, said as the options of the command that was typed."""

from __future__ import annotations

import re
from typing import Any

Flags = dict[str, str]  # a command's options by the request field each sets: {"num_frames": "--frames"}

#: The create body's fields as ``submit`` and ``remix`` take them: a server's error names the option.
JOB_FLAGS: Flags = {
    "prompt": "PROMPT",
    "model": "--model",
    "size": "--size",
    "seconds": "--seconds",
    "num_frames": "--frames",
    "fps": "--fps",
    "num_inference_steps": "--steps",
    "guidance_scale": "--guidance",
    "seed": "--seed",
    "negative_prompt": "--negative",
    "input_reference": "--image",
    "priority": "--priority",
    "options": "--option",
    **{
        name: f"--{name.replace('_', '-')}"
        for name in ("interpolate", "target_fps", "interpolator", "upscale", "upscaler")
    },
}
#: The fields ``remix`` has an option for, besides its prompt; it keeps every other from the video remixed.
REMIX_OWN = ("negative_prompt", "seed", "num_inference_steps", "guidance_scale", "priority")


def said_as_flags(said: str, param: str, flags: Flags) -> str:
    """``said`` about field ``param`` (``""``: none named) with the fields said as ``flags``' options."""
    said = re.sub(r"\((\w+)\)", lambda m: f"({flags.get(m[1], m[1])})", said)
    head = param.partition(".")[0].partition("[")[0]
    if head == "options" and "options" in flags and param != head:
        flag: str | None = f"{flags['options']} {param.removeprefix('options.')}"
    else:
        flag = flags.get(param) or flags.get(head)
    if flag is None:
        return said
    if param:  # "list again without after", "leave seed out": the field's name mid-sentence is the option too
        said = re.sub(rf"\b(without|leave) {re.escape(param)}\b", lambda m: f"{m[1]} {flag}", said)
    if param and said.startswith(f"{param}:") and names(said.removeprefix(f"{param}:"), flag):
        return said.removeprefix(f"{param}:").lstrip()  # "--target-fps: ... (--target-fps), not both": once
    if param and said.startswith((f"{param}:", f"{param} ")):
        return flag + said.removeprefix(param)
    if names(said, flag):  # "give a start image (--image)" was "--image: ... (--image)"
        return said
    return f"{flag}: {said}"


def names(said: str, flag: str) -> bool:
    """Whether ``said`` names option ``flag`` in brackets (``(--image)``), so a prefix naming it would say it twice.

    Only in brackets: "leave --seed out" names it too, but the value it is about follows the prefix."""
    return re.search(rf"\({re.escape(flag)}[)\s]", said) is not None


def failure_as_flags(error: dict[str, Any], flags: Flags) -> str:
    """A failed job's message naming the command's options: a fault found only on the worker (``--face-index
    5``, a video of two faces) said ``face_index 5 is out of range``. Only a job failed for its input is
    said so; such an error has no ``param``: the field is the one the message starts with."""
    message = str(error.get("message") or "")
    if error.get("code") != "invalid_request":
        return message
    start = re.match(r"(\w+(?:\.\w+)?)[ :]", message)
    field = start[1] if start else ""
    known = field in flags or (field.startswith("options.") and "options" in flags)
    return said_as_flags(message, field if known else "", flags)


#: Fields a remix takes from the video remixed that no option of ``remix`` or ``submit`` names.
KEPT_UNNAMED = (
    "guidance_scale_2",
    "source_strength",
    "audio",
    "loras",
    "keyframes",
    "end_image",
    "source_video",
)


def kept_field(param: str, typed: Flags) -> str | None:
    """The field of ``param`` when a remix kept it from the video remixed (no option typed set it), else None."""
    head = param.partition(".")[0].partition("[")[0]
    if head in typed or head == "prompt" or (head not in JOB_FLAGS and head not in KEPT_UNNAMED):
        return None
    return param if head == "options" else head


def said_as_kept(said: str, field: str, parent: dict[str, Any] | None, video_id: str) -> str:
    """``said`` about ``field``, which a remix kept from ``video_id`` (``parent``: that video, if known),
    then where its value came from and how to change it. A remix of a video whose model has since lost its
    weights was told ``--model 'wan-1.3b' has no weights``: an option ``remix`` has not, never typed."""
    value = _value(parent or {}, field)
    shown = field if value is None else f"{field} {value}"
    if field in REMIX_OWN:
        how = f"give {JOB_FLAGS[field]} to override it"
    elif field.startswith("options."):
        how = f"a remix keeps it; `reelgen submit --option {field.removeprefix('options.')}=VALUE` makes a new video with another"
    elif field in JOB_FLAGS:
        how = f"a remix keeps it; `reelgen submit {JOB_FLAGS[field]}` makes a new video with another"
    else:
        how = "a remix keeps it; make a new video to change it"
    return f"{said}; {shown} came from {video_id}, the video remixed, not from this command: {how}"


def _value(video: dict[str, Any], field: str) -> str | None:
    """The value ``field`` has in a video object, said as text; None when it has none to show (a list, a flag)."""
    parameters = video.get("parameters") or {}
    if field.startswith("options."):
        value = (parameters.get("options") or {}).get(field.removeprefix("options."))
    else:
        value = video[field] if field in video else parameters.get(field)
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else f"{value[:37]}...")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return str(value)

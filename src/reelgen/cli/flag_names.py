"""A server's field names, in its refusals and failures, said as the options of the command that was typed."""

from __future__ import annotations

import re
from typing import Any

Flags = dict[str, str]  # a command's options by the request field each sets: {"num_frames": "--frames"}


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
    if param and said.startswith((f"{param}:", f"{param} ")):
        return flag + said.removeprefix(param)
    return f"{flag}: {said}"


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

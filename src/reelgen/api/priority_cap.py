"""How a job's priority is said against the server's cap (``REELGEN_MAX_PRIORITY``), not the body's bounds."""

from __future__ import annotations

import re

from fastapi import Request

from reelgen.api.errors import ApiError

#: The lowest priority a job route takes; the highest is the server's cap (``REELGEN_MAX_PRIORITY``).
PRIORITY_FLOOR = -1000

#: What a job body's own bounds say of its priority: 1000 at most, which the server's cap (100 by
#: default) lowers, so a client told "from -1000 to 1000" then sent 1000 and was refused again.
_PRIORITY_MODEL_RANGE = f"; it takes a whole number from {PRIORITY_FLOOR} to 1000"
#: The same bounds as a value that is no whole number is told them.
_PRIORITY_MODEL_GIVE = f"; give a whole number from {PRIORITY_FLOOR} to 1000"
_PRIORITY_TOO_HIGH = re.compile(r"priority: (?:(\S+) is )?too large")


def priority_range(cap: int) -> str:
    """ "; it takes a whole number from -1000 to 100": the priorities a server with ``cap`` takes."""
    return f"; it takes a whole number from {PRIORITY_FLOOR} to {cap}"


def above_cap(priority: int, cap: int) -> ApiError:
    """The 400 for a priority within a body's bounds but above the server's cap, with what it takes."""
    message = f"priority {priority} is above this server's cap of {cap}{priority_range(cap)}"
    return ApiError(400, message, param="priority")


def with_priority_cap(request: Request, message: str, param: str | None) -> str:
    """``message`` of a priority past a body's bounds with the server's cap as its upper end, not 1000."""
    settings = getattr(request.app.state, "settings", None)
    cap = getattr(settings, "max_priority", None)
    if param != "priority" or not isinstance(cap, int):
        return message
    if message.endswith(_PRIORITY_MODEL_GIVE):
        # A priority that is no whole number ("1.5", "'3'", true) was told to give one up to 1000.
        return (
            message.removesuffix(_PRIORITY_MODEL_GIVE)
            + f"; give a whole number from {PRIORITY_FLOOR} to {cap}"
        )
    if not message.endswith(_PRIORITY_MODEL_RANGE):
        return message
    head = message.removesuffix(_PRIORITY_MODEL_RANGE)
    too_high = _PRIORITY_TOO_HIGH.fullmatch(head)
    if too_high:  # said as above_cap says a priority the body's bounds let through
        given = f" {too_high[1]}" if too_high[1] else ""
        head = f"priority{given} is above this server's cap of {cap}"
    return head + priority_range(cap)

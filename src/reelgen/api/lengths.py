"""Size and length as a create body writes them: ``"832x480"`` and ``"4"`` (seconds)."""

from __future__ import annotations

import re

from reelgen.api.errors import ApiError

_SIZE = re.compile(r"^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$")


def parse_size(size: str | None) -> tuple[int | None, int | None]:
    if size is None:
        return None, None
    match = _SIZE.match(size)
    if not match:
        raise ApiError(400, f"size {size!r} must look like WIDTHxHEIGHT, e.g. 832x480", param="size")
    return int(match[1]), int(match[2])


#: The longest ``seconds`` a request may ask for (the core request's own limit).
MAX_SECONDS = 3600


def parse_seconds(seconds: str | float | None) -> float | None:
    if seconds is None:
        return None
    try:
        value = float(seconds)
    except ValueError:
        value = -1.0
    if not 0 < value <= MAX_SECONDS:
        raise ApiError(
            400,
            f'seconds {seconds!r} must be a number above 0 and at most {MAX_SECONDS}, e.g. "4"',
            param="seconds",
        )
    return value

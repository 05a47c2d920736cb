"""Size and length as a create body writes them: ``"832x480"`` and ``"4"`` (seconds)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from reelgen.api.errors import ApiError

_SIZE = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")
#: Sides longer than this many digits are all equally too large; int() of thousands of them is slow.
_SIDE_DIGITS = 9
#: How much of a value an error quotes.
_SHOWN = 40


def shown(value: str | float) -> str:
    """``value`` as the client wrote it: text quoted (a long one cut short), ``4.0`` as ``4``."""
    if isinstance(value, str):
        return repr(value) if len(value) <= _SHOWN else f"{value[:_SHOWN]!r}..."
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e16):  # a JSON 4 arrives as 4.0
        return str(int(value))
    return repr(value)


def parse_size(size: str | None) -> tuple[int | None, int | None]:
    if size is None:
        return None, None
    match = _SIZE.match(size)
    if not match:
        raise ApiError(400, f"size {shown(size)} must look like WIDTHxHEIGHT, e.g. 832x480", param="size")
    # A side of more digits than any size has is said too large by the request's own limit, as 99999 is.
    width, height = (int(side) if len(side) <= _SIDE_DIGITS else 10**_SIDE_DIGITS for side in match.groups())
    return width, height


#: The longest ``seconds`` a request may ask for (the core request's own limit).
MAX_SECONDS = 3600


def parse_seconds(seconds: str | float | None) -> float | None:
    if seconds is None:
        return None
    try:
        # Python's float() reads "4_0" as 40: a typo became a clip ten times as long.
        value = -1.0 if isinstance(seconds, str) and "_" in seconds else float(seconds)
    except ValueError:
        value = -1.0
    if not 0 < value <= MAX_SECONDS:
        raise ApiError(
            400,
            f'seconds {shown(seconds)} must be a number above 0 and at most {MAX_SECONDS}, e.g. "4"',
            param="seconds",
        )
    return value


#: Fields other APIs (and this server's first routes) name that a create body writes as size or seconds.
_WRITTEN_AS = {
    "width": ("size", ': "WIDTHxHEIGHT", e.g. "832x480"'),
    "height": ("size", ': "WIDTHxHEIGHT", e.g. "832x480"'),
    "duration": ("seconds", ', e.g. "4"'),
}


def refuse_other_names(fields: Collection[str], keys: Iterable[str]) -> None:
    """A 400 for the first of ``keys`` that a body of ``fields`` writes as size or seconds: "width is not
    a known field; valid fields: ..." left the client to find size among thirty names."""
    for key in keys:
        field, example = _WRITTEN_AS.get(key, ("", ""))
        if field in fields and key not in fields:
            raise ApiError(400, f"{key} is written as {field} here{example}", param=key, code="invalid_value")

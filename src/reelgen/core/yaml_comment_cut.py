"""A ``#`` that cut a ``{...}`` or ``[...]`` short as a YAML comment (``colour: #fff}``), found and said plainly."""

from __future__ import annotations

import re
from typing import Any

#: Keys whose value is a colour, so the advice can say "the colour".
_COLOURS = frozenset({"colour", "color", "background"})
#: The key just before a value: ``colour: `` at the end of what was read.
_KEY = re.compile(r"([^\s{},\[\]:'\"]+)\s*:\s*$")


def _comment_start(line: str) -> int | None:
    """Where a comment starts on ``line`` (a ``#`` first or after a space, outside quotes), if it has one."""
    quote, previous = "", " "
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"" and previous in " \t{[,:":  # a quote opens only where a value starts
            quote = char
        elif char == "#" and previous in " \t":
            return i
        previous = char
    return None


def _open_flow(read: str) -> str | None:
    """The closing bracket of the innermost ``{`` or ``[`` the part of a line YAML read leaves open
    (quoted text not counted), if any."""
    plain = re.sub(r"(?<=[\s{\[,:])('[^']*'|\"(?:[^\"\\]|\\.)*\")", "", read)
    opened: list[str] = []
    for char in plain:
        if char in "{[":
            opened.append("}" if char == "{" else "]")
        elif char in "}]" and opened:
            opened.pop()
    return opened[-1] if opened else None


def comment_cut(text: str, exc: Any) -> tuple[int, int, str] | None:
    """(line, column, words), both from 0, for a ``#`` that started a comment inside a ``{`` or ``[``
    left open on its line, hiding its ``}`` or ``]``: for the YAML error ``exc`` PyYAML said only
    "the file ends where a value should follow" or "expected ',' or '}'" lines later. None for any other."""
    mark = exc.problem_mark
    if "flow" not in str(exc.context or "") or mark is None:
        return None
    for number, line in enumerate(text.splitlines()[: mark.line + 1]):
        at = _comment_start(line)
        if at is None:
            continue
        read, comment = line[:at], line[at:]
        close = _open_flow(read)
        if close is None or close not in comment:  # the comment hid no bracket that would close it
            continue
        value = re.split(r"[\s,}\]]", comment, maxsplit=1)[0]
        key = _KEY.search(read)
        what = "the colour" if key is not None and key[1].lower() in _COLOURS else "the value"
        write = f'{key[1]}: "{value}"' if key is not None else f'"{value}"'
        words = (
            f"the '#' of {value} starts a comment in YAML (a '#' after a space does), so the rest of "
            f"the line, its closing bracket too, was not read; put {what} in quotes: {write}"
        )
        return number, at, words
    return None

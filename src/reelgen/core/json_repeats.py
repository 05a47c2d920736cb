"""Where a JSON text gives a key twice in one object: refused while parsing, then found by place and line."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any, NamedTuple


class Repeated(ValueError):
    """A key given twice in one JSON object (raised by the object hook: json keeps the last silently)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def refuse_repeated(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise Repeated(key)
        out[key] = value
    return out


class RepeatedKey(NamedTuple):
    """Where a JSON text first gives a key twice in one object."""

    #: The object's place, as a field path: ``items[0]`` ("" for the top-level object).
    where: str
    key: str
    #: The second time, from 1 (line, column), and the line of the first.
    line: int
    column: int
    first_line: int


class _Found(Exception):
    def __init__(self, repeat: RepeatedKey) -> None:
        super().__init__(repeat.key)
        self.repeat = repeat


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
#: Skips a scalar without building it (a 5000-digit number is refused elsewhere, not read here).
_SKIP: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)  # type: ignore[arg-type]
)
#: A JSON string from its opening quote's next character: (the text, the index past its closing quote).
_STRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def repeated_key(text: str) -> RepeatedKey | None:
    """The first key given twice in one object of the JSON ``text``, with its place (``items[0]``) and line;
    None if there is none or the text cannot be followed (not JSON, nested past the recursion limit).
    Found by a second reading, only once the parse has refused a repeat: json's hook sees no position."""

    def at(i: int) -> int:
        return _JSON_SPACE.match(text, i).end()  # type: ignore[union-attr]  # matches even nothing

    def value(i: int, path: str) -> int:
        i = at(i)
        if text.startswith("{", i):
            first: dict[str, int] = {}
            i = at(i + 1)
            while not text.startswith("}", i):
                start = i
                key, i = _STRING(text, i + 1)
                if key in first:
                    line = text.count("\n", 0, start) + 1
                    column = start - text.rfind("\n", 0, start)
                    raise _Found(RepeatedKey(path, key, line, column, text.count("\n", 0, first[key]) + 1))
                first[key] = start
                i = value(at(i) + 1, f"{path}.{key}" if path else key)  # past the ':'
                i = at(i)
                i = at(i + 1) if text.startswith(",", i) else i
            return i + 1
        if text.startswith("[", i):
            n, i = 0, at(i + 1)
            while not text.startswith("]", i):
                i = at(value(i, f"{path}[{n}]"))
                n, i = n + 1, at(i + 1) if text.startswith(",", i) else i
            return i + 1
        return int(_SKIP(text, i)[1])

    try:
        value(0, "")
    except _Found as found:
        return found.repeat
    except (ValueError, IndexError, StopIteration, RecursionError):
        return None
    return None


def repeated_words(text: str) -> tuple[str, str]:
    """Where a repeated key is (``line 5, column 7: ``) and in what (``items[0]``), as far as known."""
    found = repeated_key(text)
    if found is None:
        return "", "one object"
    inside = found.where or "the top-level object"
    return f" line {found.line}, column {found.column}", f"{inside} (first on line {found.first_line})"

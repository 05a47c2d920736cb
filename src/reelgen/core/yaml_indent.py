"""YAML mistakes of whitespace said in words: a tab, a line indented out of step, a field missing its ': '."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: A list item's dash, with what follows it on the line.
_ITEM = re.compile(r"-(?:[ ]+|$)")
#: A ``key: |`` or ``key: >-`` line: the lines indented under it are text, not fields.
_BLOCK_TEXT = re.compile(r"[^#]*:\s+[|>][-+0-9]*\s*(?:#.*)?")
#: A field's name at the start of a line, as ``key:`` before its value (or the end of the line).
_KEY = re.compile(r"([^\s:#'\"-][^:#]*?):(?:\s|$)")
#: A ``key: value`` line whose value is given on it (not a ``key:`` opening a block below it).
_WITH_VALUE = re.compile(r"(?:-\s+)?[^\s:#'\"][^:#]*:\s+[^\s#|>&*!].*")


@dataclass(frozen=True)
class _Open:
    """A line a later line may line up with: its column, line number (from 1) and text."""

    column: int
    line: int
    text: str
    item: bool  # a list item's ``-``, which only another ``-`` lines up with


def tab_problem(text: str, mark: Any) -> str:
    """What a tab PyYAML stops at is, said in words: "found character '\\t' that cannot start any
    token" left the person to guess that YAML indents (and separates) with spaces only."""
    lines = text.splitlines()
    before = lines[mark.line][: mark.column] if mark.line < len(lines) else ""
    if not before.strip(" \t-"):  # only indentation (and a list's dash) before it
        return "a tab used to indent; YAML indents with spaces only, so replace the tab with spaces"
    return "a tab where YAML takes only spaces (a tab may stand inside quotes); replace it with spaces"


#: A field and its value with no ': ' between them: ``duration 1``, ``duration:1``.
_NO_COLON = re.compile(r"(?:-\s+)?([A-Za-z_][\w-]*)(:|\s+)([^\s:#][^:#]*?)\s*(?:#.*)?")


def said_plainly(text: str, exc: Any) -> tuple[int, int, str] | None:
    """A YAML syntax error of whitespace as (line, column, words), both from 0; None for any other."""
    lines = text.splitlines()
    start = exc.context_mark
    if exc.problem == "could not find expected ':'" and start is not None and start.line < len(lines):
        words = _no_colon(lines[start.line])  # PyYAML named the line after the field
        return (start.line, start.column, words) if words else None
    mark = exc.problem_mark
    if mark is None or mark.line >= len(lines) or not lines[mark.line].strip():
        return None
    opens = _opens(lines, mark.line)
    above = opens[-1] if opens else None
    if exc.problem == "mapping values are not allowed here" and above is not None:
        # `title T` above `scenes:`, in line with it: YAML read the two lines as one text, then the ':'.
        column = len(lines[mark.line]) - len(lines[mark.line].lstrip(" "))
        words = _no_colon(above.text) if above.column == column and not above.item else None
        if words:
            return above.line - 1, above.column, words
    words = _out_of_step(lines, exc, opens)
    return (mark.line, mark.column, words) if words else None


def _no_colon(line: str) -> str | None:
    """How to write a field given with no ': ' after its name, or None where ``line`` is no such field."""
    found = _NO_COLON.fullmatch(line.strip())
    if found is None:
        return None
    body = line.strip().split(" #")[0].strip()
    fixed = body[: found.start(2)] + ": " + found[3]
    if found[2] == ":":
        return f"`{_short(body)}` needs a space after its ':'; write `{_short(fixed)}`"
    return f"`{_short(body)}` has no ':' after its name; write `{_short(fixed)}`"


def _out_of_step(lines: list[str], exc: Any, opens: list[_Open]) -> str | None:
    """The indentation a line PyYAML could not place wants, naming the line above it goes with; None
    where the error is no such line. "expected <block end>, but found '<block mapping start>'" named
    parser states, and "mapping values are not allowed here" of a field indented under one that has
    its value already said nothing of the indentation at all."""
    raw = lines[exc.problem_mark.line]
    body = raw.lstrip(" ")
    column = len(raw) - len(body)
    stray = str(exc.problem)[-3:] in (
        "']'",
        "'}'",
    )  # a ']' or '}' closing nothing: core/yaml_words.py says it
    if str(exc.problem).startswith("expected <block end>, but found") and not stray:
        said = "which fits none of the lines above it (YAML reads what belongs to what from the indentation)"
    elif exc.problem == "mapping values are not allowed here" and opens and opens[-1].column < column:
        above = lines[opens[-1].line - 1].strip()
        if not _WITH_VALUE.fullmatch(above):
            return None
        said = (
            f"under `{_short(above)}` (line {opens[-1].line}), which has its value already, "
            "so YAML reads it as more of that value"
        )
    else:
        return None
    item = _ITEM.match(body) is not None
    if body[:1] == "-" and not item and any(o.item and o.column == column for o in opens):
        return f"`{_short(body)}` needs a space after its '-' to be a list item: write `- {_short(body[1:])}`"
    if not item and (dash := _missing_dash(lines, exc.problem_mark.line, column, body, opens)):
        return f"`{_short(body)}` is indented {_spaces(column)}, {said}; {dash}"
    fitting = [o for o in opens if o.column != column and o.item == item] or [
        o for o in opens if o.column != column
    ]
    if not fitting:
        return None
    nearest = min(abs(o.column - column) for o in fitting)
    choices = sorted((o for o in fitting if abs(o.column - column) == nearest), key=lambda o: -o.column)
    where = ", or ".join(
        f"{_spaces(o.column)}, in line with `{_short(o.text)}` (line {o.line})" for o in choices
    )
    return f"`{_short(body)}` is indented {_spaces(column)}, {said}; indent it {where}"


def _missing_dash(lines: list[str], upto: int, column: int, body: str, opens: list[_Open]) -> str | None:
    """How to start a new list item, where ``body`` (at ``column``, line ``upto`` from 0) is one whose
    '- ' was removed: it stands between an item's '-' and its fields, and names a field that item has
    already. Lined up with that item's fields, as the indentation words said, it became part of it."""
    key = _KEY.match(body)
    for dash, fields in zip(opens, opens[1:], strict=False):
        if not (dash.item and not fields.item and dash.column <= column < fields.column) or key is None:
            continue
        first = _ITEM.match(dash.text)
        had = [dash.text[first.end() :] if first else ""]
        had += [
            raw.lstrip(" ")
            for raw in lines[dash.line : upto]
            if len(raw) - len(raw.lstrip(" ")) == fields.column
        ]
        if any((m := _KEY.match(text)) and m[1] == key[1] for text in had):
            return (
                f"this looks like {_new_item(opens, dash)}: start it with '- ' as "
                f"`{_short(dash.text)}` (line {dash.line}) does, indented {_spaces(dash.column)}: "
                f"`- {_short(body)}`"
            )
    return None


def new_item(text: str, line: int) -> str:
    """What a new item of the list whose '-' is on ``line`` (from 0) of ``text`` is, as advice words."""
    opens = _opens(text.splitlines(), line + 1)
    dash = next((o for o in reversed(opens) if o.item and o.line == line + 1), None)
    return _new_item(opens, dash) if dash is not None else "a new item of the list"


def _new_item(opens: list[_Open], dash: _Open) -> str:
    """What a new item of ``dash``'s list is: a keyframe or an export text missing its '-' was told
    it looked like "a new scene", of a list that holds none."""
    above = opens[: opens.index(dash)]
    named = _KEY.match(above[-1].text) if above and not above[-1].item else None
    if named is None:
        return "a new item of the list"
    if named[1] == "scenes" and above[-1].column == 0:
        return "a new scene (a new item of the list)"
    return f"a new item of the {named[1]} list"


def _opens(lines: list[str], upto: int) -> list[_Open]:
    """For each indentation still open at line ``upto`` (from 0), the last line above it there,
    outermost first: the places a line there could line up with."""
    stack: list[_Open] = []
    text_under: int | None = None  # the column of a `key: |` whose text lines are being passed over
    for n, raw in enumerate(lines[:upto]):
        body = raw.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        column = len(raw) - len(body)
        if text_under is not None and column > text_under:
            continue
        text_under = None
        while stack and stack[-1].column >= column:
            stack.pop()
        dash = _ITEM.match(body)
        if dash is not None:
            stack.append(_Open(column, n + 1, body.strip(), item=True))
            column, body = column + dash.end(), body[dash.end() :]
        if body.strip():
            stack.append(_Open(column, n + 1, body.strip(), item=False))
            text_under = column if _BLOCK_TEXT.fullmatch(body.strip()) else None
    return stack


def _spaces(n: int) -> str:
    return "no spaces" if n == 0 else "1 space" if n == 1 else f"{n} spaces"


def _short(line: str) -> str:
    """A line as quoted in a message: a long prompt is cut, with an ellipsis."""
    line = line.split(" #")[0].strip()
    return line if len(line) <= 40 else line[:37] + "..."

"""PyYAML's words for a bracket or a quote left open (or one too many) said as a person needs them."""

from __future__ import annotations

import re
from typing import Any

#: What the page said first (api/static/page/js/file_errors.js): PyYAML gives no place for the bracket here.
NO_VALUE_AT_END = "the file ends where a value should follow (is a [ or { left open, or a quote?)"

#: A flow list's or mapping's opening bracket, its closing one and what it is called.
_FLOWS = {"flow sequence": ("[", "]", "list"), "flow mapping": ("{", "}", "mapping")}
#: PyYAML's "expected ',' or ']', but got ':'" inside a ``[`` or ``{``.
_NOT_CLOSED = re.compile(r"expected ',' or '[\]}]', but got (.+)")
#: PyYAML's names for the end of the text, in quotes; said in words wherever they are left.
_ENDS = re.compile(r"'<(?:stream|document) end>'")


def plain_words(text: str, exc: Any) -> str | None:
    """What the YAML syntax error ``exc`` in ``text`` is, in words, for a bracket or a quote left open
    or a closing one with nothing to close; None for any other error."""
    problem, context, start = str(exc.problem or ""), str(exc.context or ""), exc.context_mark
    if problem.startswith("expected the node content, but found '<stream end>'"):
        return NO_VALUE_AT_END
    if (
        stray := re.fullmatch(r"expected (?:the node content|<block end>), but found '([\]}])'", problem)
    ) is not None:
        close = stray[1]
        open_ = "[" if close == "]" else "{"
        return f"a '{close}' with no '{open_}' open before it to close; remove it (or quote the value, if it is text)"
    if problem == "expected the node content, but found ','":
        return "a ',' where a value should be (two in a row, or one first in the list?); remove it"
    where = f"line {start.line + 1}, column {start.column + 1}" if start is not None else ""
    flow = next((kind for name, kind in _FLOWS.items() if context == f"while parsing a {name}"), None)
    if flow is not None and where and (found := _NOT_CLOSED.fullmatch(problem)) is not None:
        open_, close, what = flow
        if found[1] == "'<stream end>'":
            return (
                f"the file ends inside the {what} opened with '{open_}' on {where}; close it with '{close}'"
            )
        return (
            f"expected ',' or '{close}' but found {found[1]}, inside the {what} opened with '{open_}' on {where}; "
            f"is its '{close}' missing? (text holding ',' or '{close}' must be quoted)"
        )
    if context == "while scanning a quoted scalar" and where and problem == "found unexpected end of stream":
        lines = text.splitlines()
        row = lines[start.line] if start.line < len(lines) else ""
        quote = row[start.column : start.column + 1]
        if quote not in ("'", '"'):
            return f"the file ends inside the quoted text that starts on {where}; close its quote"
        shown = f"'{quote}'" if quote == '"' else f'"{quote}"'  # the quote shown in the other kind
        return f"the file ends inside the text quoted with {shown} on {where}; close it with another {shown}"
    return None


def no_stream_names(problem: str) -> str:
    """``problem`` with PyYAML's ``'<stream end>'`` said as "the end of the file"."""
    return _ENDS.sub("the end of the file", problem)

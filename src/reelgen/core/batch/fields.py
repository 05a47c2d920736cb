"""A hand-written file's validation error as one line: which file, which field, and what would be valid.

Manifests and shoot-out prompts files are typed by people, so a typo'd key
(``modle``) should read ``manifest shots.json: items[0].modle is not a known
field; did you mean model? known: ...`` rather than leave them to guess.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from typing import Any

from pydantic import BaseModel, ValidationError

from reelgen.core.errors import InvalidRequest, fields_at, from_validation_error


class _Reordered:
    """A validation error's problems in another order (``from_validation_error`` reads the first)."""

    def __init__(self, errors: list[Any]) -> None:
        self._errors = errors

    def errors(self) -> list[Any]:
        return self._errors


def _misspelt_first(exc: ValidationError) -> Any:
    """``exc``, or its problems with a misspelt key first where that key is why a field is missing.

    ``outptu: shot`` made both "output is required" and "outptu is not a known field"; pydantic
    lists the missing field first, which left the typo unnamed.
    """
    errors = exc.errors()
    if errors[0].get("type") != "missing":
        return exc
    loc = tuple(errors[0]["loc"])
    for error in errors:
        extra = tuple(error["loc"])
        beside = error.get("type") == "extra_forbidden" and extra[:-1] == loc[:-1]
        if beside and difflib.get_close_matches(str(extra[-1]), [str(loc[-1])], n=1, cutoff=0.6):
            return _Reordered([error, *(e for e in errors if e is not error)])
    return exc


#: What a text holding a lone UTF-16 surrogate is told: JSON and YAML may write one as an escape
#: (``"\\udce9"``, or half of an emoji's pair cut off), but no model, database or summary can take one.
HALF_CHARACTER = (
    "holds half of a character (a lone UTF-16 surrogate, written as an escape such as \\udce9, or an "
    "emoji's pair cut in two); write the character itself, or both halves of its pair"
)


def _whole(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _shown(key: Any) -> str:
    """A key as it can be printed: its lone surrogates as escapes."""
    return str(key).encode("utf-8", "backslashreplace").decode()


def half_character_at(value: Any, where: str = "") -> str | None:
    """Where in ``value`` (``items[0].images[1]``) the first text, or key, holding a lone surrogate is,
    or None. Looked for in one pass first, so a body with none (nearly all) names nothing on the way."""
    if _whole(json.dumps(value, ensure_ascii=False, default=str)):
        return None
    pending: list[tuple[Any, str]] = [(value, where)]
    while pending:
        item, path = pending.pop()
        if isinstance(item, str) and not _whole(item):
            return path
        if isinstance(item, dict):
            steps = []
            for key, inner in item.items():
                named = f"{path}.{_shown(key)}" if path else _shown(key)
                if not _whole(str(key)):
                    return named
                steps.append((inner, named))
            pending += reversed(steps)  # in the order written: the first one found is the first said
        elif isinstance(item, list | tuple):
            pending += reversed([(inner, f"{path}[{i}]") for i, inner in enumerate(item)])
    return None


def whole_characters(value: Any) -> Any:
    """A validator's check that text holds no lone surrogate: pydantic passed one in a plain ``str``
    field (a variable filled it into a prompt, which then failed as an internal error)."""
    at = half_character_at(value)
    if at is not None:
        raise ValueError(f"{at} {HALF_CHARACTER}" if at else HALF_CHARACTER)
    return value


def file_error(
    exc: ValidationError, model: type[BaseModel], name: str, *, prefix: str = ""
) -> InvalidRequest:
    """``exc`` as one ``InvalidRequest`` line that starts with the file's ``name`` and, for an unknown
    key, says the closest known one and every known one."""
    ordered = _misspelt_first(exc)
    error = from_validation_error(ordered, prefix=prefix, model=model)
    first = ordered.errors()[0]
    message = f"{name}: {error.message}"
    if first.get("type") == "string_unicode":
        # Pydantic's "unable to parse raw data as a unicode string" said neither what nor how to fix it.
        message = f"{name}: {error.param} {HALF_CHARACTER}"
    if first.get("type") == "extra_forbidden":
        known = fields_at(model, tuple(first["loc"]))
        if known:
            # After "did you mean X?" a space; after the bare "is not a known field" a semicolon.
            message += f"{'' if message.endswith('?') else ';'} known: {', '.join(known)}"
    return InvalidRequest(message, param=error.param)


def check_currency(value: str) -> str:
    """A file's ``currency``, checked: printed in summaries and reports, so a code or sign, not blank
    ("0.0000  at 2  per GPU-hour") and no control character ("\\u001b[31m" coloured the terminal)."""
    if not value.strip() or not value.isprintable():
        raise ValueError(f"{value!r} is not a currency; give its code or sign, e.g. USD, EUR or €")
    return value


def said_as_text(key: str | None, value: Any) -> None:
    """Refuse a variable read as a truth value or a date, saying how to write it as text: both were
    "Input should be a valid string", of ``flag: yes`` and ``when: 2024-01-05``."""
    if isinstance(value, bool):
        what, written = "true or false (YAML reads yes, no, on and off so too)", "yes" if value else "no"
    elif isinstance(value, dt.date):
        what, written = f"a date, {value.isoformat()}", value.isoformat()
    else:
        return
    named = f"{key} " if key else ""  # None: the field's own error, already named by its place
    raise ValueError(f'{named}is {what}, not text; put it in quotes to fill it in as written: "{written}"')


def as_written(value: Any) -> Any:
    """A text field YAML read as a number, as it was typed (``prompt: 1984``, ``output_dir: 2024`` were
    "Input should be a valid string"); a date or truth value is refused, saying to quote it."""
    said_as_text(None, value)
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

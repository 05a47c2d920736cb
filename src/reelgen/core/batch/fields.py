"""A hand-written file's validation error as one line: which file, which field, and what would be valid.

Manifests and shoot-out prompts files are typed by people, so a typo'd key
(``modle``) should read ``manifest shots.json: items[0].modle is not a known
field; did you mean model? known: ...`` rather than leave them to guess.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from reelgen.core.errors import InvalidRequest, from_validation_error


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (``Motion | None``, ``list[BatchItem]`` ...), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (dict, types.UnionType, typing.Union, list, tuple):
        args = typing.get_args(annotation)
        # A dict's keys are names, not fields; its values may be models.
        for arg in args[1:] if typing.get_origin(annotation) is dict else args:
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the object that holds ``loc``'s last part (list indexes skipped)."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return []
        current = _model_in(current.model_fields[part].annotation)
    return list(current.model_fields) if current is not None else []


def file_error(
    exc: ValidationError, model: type[BaseModel], name: str, *, prefix: str = ""
) -> InvalidRequest:
    """``exc`` as one ``InvalidRequest`` line that starts with the file's ``name`` and, for an unknown
    key, says the closest known one and every known one."""
    error = from_validation_error(exc, prefix=prefix)
    first = exc.errors()[0]
    message = f"{name}: {error.message}"
    if first.get("type") == "extra_forbidden":
        known = fields_at(model, tuple(first["loc"]))
        close = difflib.get_close_matches(str(first["loc"][-1]), known, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {close[0]}?"
        if known:
            message += f" known: {', '.join(known)}"
    return InvalidRequest(message, param=error.param)

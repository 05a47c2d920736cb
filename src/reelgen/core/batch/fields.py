"""A hand-written file's validation error as one line: which file, which field, and what would be valid.

Manifests and shoot-out prompts files are typed by people, so a typo'd key
(``modle``) should read ``manifest shots.json: items[0].modle is not a known
field; did you mean model? known: ...`` rather than leave them to guess.
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from reelgen.core.errors import InvalidRequest, fields_at, from_validation_error


def file_error(
    exc: ValidationError, model: type[BaseModel], name: str, *, prefix: str = ""
) -> InvalidRequest:
    """``exc`` as one ``InvalidRequest`` line that starts with the file's ``name`` and, for an unknown
    key, says the closest known one and every known one."""
    error = from_validation_error(exc, prefix=prefix, model=model)
    first = exc.errors()[0]
    message = f"{name}: {error.message}"
    if first.get("type") == "extra_forbidden":
        known = fields_at(model, tuple(first["loc"]))
        if known:
            # After "did you mean X?" a space; after the bare "is not a known field" a semicolon.
            message += f"{'' if message.endswith('?') else ';'} known: {', '.join(known)}"
    return InvalidRequest(message, param=error.param)

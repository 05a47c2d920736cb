"""Errors reelgen raises: each names what was wrong and what would be right."""

from __future__ import annotations

from typing import Any


class ReelgenError(Exception):
    """Base of every error reelgen raises on purpose.

    ``code`` is a stable machine-readable name (the API puts it in its error
    envelope); ``param`` names the request field at fault, when there is one.
    """

    code = "reelgen_error"

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


class InvalidRequest(ReelgenError):
    """The request breaks a rule of the model or of reelgen itself."""

    code = "invalid_request"


class UnsupportedTask(InvalidRequest):
    """The model cannot do the asked task (e.g. text-to-video on SVD)."""

    code = "unsupported_task"


class ModelNotAvailable(ReelgenError):
    """The model is unknown, or its weights are not on this machine."""

    code = "model_not_available"


class Cancelled(ReelgenError):
    """The run was cancelled; nothing was written."""

    code = "cancelled"


class OutOfMemory(ReelgenError):
    """The run did not fit in memory even after stepping down the offload ladder."""

    code = "out_of_memory"


class GenerationFailed(ReelgenError):
    """The model ran but produced no usable video (e.g. NaN frames)."""

    code = "generation_failed"


#: What a JSON value that should have been an object was, in words.
_JSON_KINDS: dict[type, str] = {
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def field_path(loc: Any) -> str:
    """A pydantic location as reelgen writes field paths everywhere: ``items[0].output``, not ``items.0.output``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def from_validation_error(exc: Any, *, prefix: str = "", options_of: str | None = None) -> InvalidRequest:
    """The first problem of a pydantic ``ValidationError`` as an ``InvalidRequest`` naming its field.

    The CLI, the API and the resolver all turn validation errors into messages here, so
    a bad value reads the same everywhere: ``num_frames: Input should be greater than 0``.
    """
    first = exc.errors()[0]
    where = field_path(first["loc"])
    param = f"{prefix}{where}" if where else (prefix.rstrip(".") or None)
    kind = first.get("type", "")
    if kind == "missing":
        message = f"{param} is required"
    elif kind == "extra_forbidden":
        message = f"{param} is not a known field"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):  # pydantic names its classes here
        given = _JSON_KINDS.get(type(first.get("input")), "something else")
        message = f"{param or 'the request body'} must be an object of named fields, not {given}"
    else:
        text = str(first["msg"]).removeprefix("Value error, ")
        message = f"{param}: {text}" if param else text
    if options_of:
        message += f" ({options_of})"
    return InvalidRequest(message, param=param)

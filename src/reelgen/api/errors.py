"""The OpenAI error envelope, ``ApiError``, and the API's words for the core's errors."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.responses import JSONResponse

from reelgen.core.errors import ModelNotAvailable, ReelgenError, WriteFailed, fields_at
from reelgen.core.spec.lora_files import api_named
from reelgen.core.spec.request import GenerationRequest
from reelgen.jobs.records import (
    EngineUnavailable,
    IdempotencyConflict,
    InvalidTransition,
    JobError,
    JobNotFound,
    QueueFull,
)

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    416: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    503: "server_error",
    504: "server_error",
}

#: The code of an error raised without one: every answer carries a code a client can branch on,
#: so a refusal deep in a route (``ApiError(400, ...)``) need not name one to have it.
_CODES = {
    400: "invalid_request",
    401: "invalid_api_key",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "unprocessable",
    429: "rate_limit_exceeded",
    500: "internal_error",
    503: "unavailable",
    504: "timeout",
    507: "insufficient_storage",
}


def default_code(status: int) -> str:
    """The code of an error at ``status`` that names none of its own."""
    return _CODES.get(status, "server_error" if status >= 500 else "invalid_request")


#: What a text holding a lone UTF-16 surrogate is told. JSON may escape one (``"\\ud83e"``, what a page's
#: ``text.slice()`` leaves of an emoji cut in two), but no model, database or file name can take one.
HALF_CHARACTER = (
    "holds half of a character (a lone UTF-16 surrogate such as \\ud83e, as left when text is cut "
    "inside an emoji); send whole characters"
)


#: How a field whose name holds a lone surrogate is called (it cannot be shown as it is).
A_FIELD_NAME = "a field name"


def half_character_at(data: dict[str, Any]) -> str | None:
    """The first name of ``data`` whose value (or the name itself) holds a lone surrogate, or None;
    a name that holds one is given as ``A_FIELD_NAME``."""
    for key, value in data.items():
        if not _encodable(str(key)):
            return A_FIELD_NAME
        if not _encodable(json.dumps(value, ensure_ascii=False, default=str)):
            return str(key)
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


#: Tells OpenAI's SDKs (which retry 408, 409, 429 and 5xx by default) not to retry this answer.
NO_RETRY = {"x-should-retry": "false"}


class ApiError(Exception):
    """An error answered with ``status`` and the envelope; ``headers`` go out with it."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        #: Fields the error object carries besides the four (a project job's ``job_url``).
        self.extra = extra or {}
        self.status = status
        self.message = message
        self.param = param
        self.code = code or default_code(status)
        self.headers = headers


def envelope(
    status: int,
    message: str,
    param: str | None = None,
    code: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``{"error": {...}}`` as OpenAI sends it, with ``extra`` fields after its four."""
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    error = {"message": message, "type": kind, "param": param, "code": code or default_code(status)}
    return {"error": {**error, **{name: v for name, v in (extra or {}).items() if name not in error}}}


def error_response(
    status: int,
    message: str,
    param: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    if status == 409:
        # Every 409 here is a state a retry seconds later cannot change (a reused Idempotency-Key,
        # a video not completed); OpenAI's SDKs retry 409s unless told not to.
        headers = {**NO_RETRY, **(headers or {})}
    return JSONResponse(envelope(status, message, param, code, extra), status_code=status, headers=headers)


#: Names the API uses for request fields whose core name differs: the core's own wire aliases,
#: ``size`` for width and height, and ``input_reference`` for the start image it becomes.
API_PARAM = {
    **{name: info.alias for name, info in GenerationRequest.model_fields.items() if info.alias},
    "width": "size",
    "height": "size",
    "start_image": "input_reference",
}


def api_param(param: str | None) -> str | None:
    """``param`` as a create body names it: a LoRA's file by ``loras[i].name`` (``GET /v1/loras``), as
    the worker's stored failures do too, and the core's aliased fields by their wire names."""
    named = api_named(param)
    return API_PARAM.get(named, named) if named else named


def from_reelgen(exc: ReelgenError) -> ApiError:
    """A core or job-layer error with its HTTP status, naming the API's parameter."""
    if isinstance(exc, JobNotFound):
        return ApiError(404, exc.message, param="video_id", code="not_found")
    if isinstance(exc, QueueFull):
        retry = str(exc.retry_after_s)
        return ApiError(429, exc.message, code=exc.code, headers={"Retry-After": retry})
    if isinstance(exc, EngineUnavailable):
        return ApiError(503, exc.message, code=exc.code, headers={"Retry-After": str(exc.retry_after_s)})
    if isinstance(exc, IdempotencyConflict | InvalidTransition):
        return ApiError(409, exc.message, param=exc.param, code=exc.code)
    if isinstance(exc, WriteFailed):
        # The server's own disk, not the request, is at fault; its paths are not the client's business.
        if exc.disk_full:
            return ApiError(
                507, "the server has no disk space left to store this; nothing was kept", code=exc.code
            )
        return ApiError(500, "the server could not write a file for this; nothing was kept", code=exc.code)
    param = api_param(exc.param) or ("model" if isinstance(exc, ModelNotAvailable) else None)
    status = 503 if isinstance(exc, JobError) else 400
    # An HTTP client was pointed at a command line it may not have: the route lists the same.
    said = exc.message.replace("`reelgen models` lists", "GET /v1/models lists")
    return ApiError(status, _wire_words(said, exc.param), param=param, code=exc.code)


#: Parameters inside a file the user wrote (a project's scenes, a manifest's items): their messages name
#: that file's fields, which the API's names would misname (``(start_image)`` is the scene's field there).
FILE_PARAMS = frozenset({"scenes", "items", "defaults", "export", "project", "manifest"})


def _wire_words(message: str, field: str | None = None) -> str:
    """A field named in brackets (``give a start image (start_image)``) as the API names it, and the
    field the message starts with (``start_image cannot be pinned ...``), which is ``field``."""
    if field is not None and re.split(r"[.\[]", field, maxsplit=1)[0] in FILE_PARAMS:
        return message
    message = re.sub(r"\((\w+)\)", lambda m: f"({API_PARAM.get(m[1], m[1])})", message)
    if field is not None and api_named(field) != field and message.startswith(f"{field}:"):
        message = f"{api_named(field)}{message.removeprefix(field)}"
    if (
        field in API_PARAM
        and field not in ("width", "height")
        and message.startswith((f"{field}:", f"{field} "))
    ):
        # "width 63 is not ..." stays: size is the pair, and the message says which side is wrong.
        message = API_PARAM[field] + message.removeprefix(field)
    return message


def with_known_fields(message: str, loc: tuple[Any, ...], model: Any, files: tuple[str, ...] = ()) -> str:
    """``message`` with the valid names after a bare "X is not a known field" (and, at the top of a
    multipart body, the names of the ``files`` it takes).

    It named the field and not what was valid, so a client guessing at a name learned nothing;
    a near name ("did you mean ...") is already given and stays alone. An object given as a string
    or number ("webhook": "https://...") gets the names it takes, which "must be an object of named
    fields, not a string" left out.
    """
    if model is not None and " must be an object of named fields, not " in message and loc:
        takes = list(dict.fromkeys(fields_at(model, (*loc, ""))))
        return f"{message}; its fields: {', '.join(takes)}" if takes else message
    if model is None or not message.endswith("is not a known field"):
        return message
    names = sorted(set(fields_at(model, loc)) | (set(files) if len(loc) <= 1 else set()))
    return f"{message}; valid fields: {', '.join(names)}" if names else message


def answers_head(path: str) -> bool:
    """Whether a GET route at ``path`` answers HEAD too (``files.HeadAsGet``): all but the event
    streams, whose body never ends."""
    return not path.endswith("/events")

"""The app's exception handlers: the API's, the core's and FastAPI's own errors answered in the envelope."""

from __future__ import annotations

import logging
import typing
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from reelgen.api.errors import (
    A_FIELD_NAME,
    HALF_CHARACTER,
    ApiError,
    answers_head,
    error_response,
    from_reelgen,
    with_known_fields,
)
from reelgen.api.priority_cap import with_priority_cap
from reelgen.core.errors import ReelgenError, from_validation_error, past_a_number_rule, value_words
from reelgen.core.spec.numbers import range_for_error
from reelgen.core.validation_words import not_finite
from reelgen.jobs.loop_trouble import database_words

log = logging.getLogger(__name__)


class _Unplaced:
    """FastAPI's validation errors without the request part (body, query ...) in their location."""

    def __init__(self, exc: RequestValidationError) -> None:
        places = ("body", "query", "path", "header", "form")
        self._errors = [
            {**e, "loc": tuple(p for p in e.get("loc", ()) if p not in places)} for e in exc.errors()
        ] or [{"loc": (), "msg": "invalid request", "type": "value_error"}]

    def errors(self) -> list[dict[str, Any]]:
        return self._errors


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    message = with_priority_cap(request, exc.message, exc.param)
    return error_response(exc.status, message, exc.param, exc.code, exc.headers, exc.extra)


async def _reelgen_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ReelgenError)
    err = from_reelgen(exc)
    return error_response(err.status, err.message, err.param, err.code, err.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    unreadable = _unreadable_body(request, exc)
    if unreadable is not None:
        return unreadable
    unplaced = _Unplaced(exc)
    # The body's model gives a misspelt field its near name ("did you mean idle_seconds?"), or else the
    # valid names, as /v1/videos does.
    model = _body_model(request)
    err = from_validation_error(unplaced, model=model)
    message = with_known_fields(err.message, tuple(unplaced.errors()[0]["loc"]), model)
    takes = _query_range(request, exc) if model is None else None
    if takes:  # a query's number, said with its range as a body's is
        message = f"{err.param}: {value_words(exc.errors()[0], takes)}"
    if unplaced.errors()[0]["type"] == "string_unicode":  # "unable to parse raw data as a unicode string"
        message = f"{err.param or A_FIELD_NAME} {HALF_CHARACTER}"
    return error_response(400, with_priority_cap(request, message, err.param), err.param, "invalid_value")


def _query_range(request: Request, exc: RequestValidationError) -> str | None:
    """ "a whole number from 1 to 100" for a query number past one of its bounds, else None.

    Pydantic names only the bound passed (``?limit=0`` heard "greater than or equal to 1"), never the
    range a list's ``limit`` takes; and ``?limit=1.5`` or ``?after=abc`` on an event stream heard only
    "unable to parse string as an integer"."""
    first = exc.errors()[0] if exc.errors() else {}
    loc = tuple(first.get("loc", ()))
    if not past_a_number_rule(first) or len(loc) != 2 or loc[0] != "query":
        return None
    dependant = getattr(request.scope.get("route"), "dependant", None)
    for field in getattr(dependant, "query_params", ()):
        if field.alias == loc[1]:
            # Said as a body's number is (core/errors.py field_range).
            asked = {**first, "msg": ""} if not_finite(first) else first  # ?share=nan: its whole rule
            return range_for_error(field.field_info.annotation, field.field_info.metadata, asked)
    return None


def _body_model(request: Request) -> Any:
    """The pydantic model the matched route reads its JSON body as (``FreeBody | None`` unwrapped)."""
    field = getattr(request.scope.get("route"), "body_field", None)
    annotation = getattr(getattr(field, "field_info", None), "annotation", None)
    for choice in (annotation, *typing.get_args(annotation)):
        if isinstance(choice, type) and issubclass(choice, BaseModel):
            return choice
    return None


def _unreadable_body(request: Request, exc: RequestValidationError) -> JSONResponse | None:
    """A JSON body route's body that is not JSON at all, said as /v1/videos says it.

    FastAPI reports these as field errors of the body, which read "[12]: JSON decode error",
    "None is required" or "must be an object of named fields, not something else".
    """
    first = exc.errors()[0] if exc.errors() else {}
    loc = tuple(first.get("loc", ()))
    if not loc or loc[0] != "body":
        return None
    kind = first.get("type")
    if kind == "json_invalid":
        at = f" at character {loc[1]}" if len(loc) > 1 else ""
        reason = (first.get("ctx") or {}).get("error", "not JSON")
        return error_response(400, f"request body is not valid JSON ({reason}{at})")
    if loc == ("body",) and kind == "missing":
        return error_response(400, "request body is empty; send a JSON object")
    if loc == ("body",) and isinstance(first.get("input"), bytes):  # not parsed: not sent as JSON
        given = request.headers.get("content-type", "").split(";")[0].strip().lower()
        return error_response(
            415,
            f"content type {repr(given) if given else '(none given)'} is not accepted; send a JSON object with "
            "Content-Type: application/json",
            code="unsupported_media_type",
        )
    return None


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc.__cause__, ApiError):
        # FastAPI answers whatever stops it reading a body "There was an error parsing the body" (400):
        # a streamed body over REELGEN_MAX_UPLOAD_BYTES sent to a JSON route as a form heard that.
        return await _api_error(request, exc.__cause__)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    status, headers = exc.status_code, getattr(exc, "headers", None)
    allowed = _methods_of(request) if status in (404, 405) else []
    if allowed:
        # The page's mount at "/" takes every path no route took, so a GET on a POST-only route
        # (``/v1/videos/{id}/cancel``) reaches it and is "not found", a PUT its "GET, HEAD": it is
        # a wrong method, and the route's methods are the right ones.
        status, headers = 405, {"Allow": ", ".join(allowed)}
    if status == 404 and message == "Not Found":
        message = f"no route {request.method} {request.url.path}"
    if status == 405:
        named = [m for m in allowed if m != "HEAD"]  # HEAD goes with GET; "use GET" says it
        use = f"; use {' or '.join(named)}" if named else ""
        message = f"{request.method} is not allowed on {request.url.path}{use}"
    return error_response(status, message, headers=headers)


def _methods_of(request: Request) -> list[str]:
    """The other methods the API's routes answer on this request's path (none when a route took it).

    Each method is tried on the routes (the page's mount aside, which takes any path).
    """
    routes = [r for r in request.app.router.routes if not isinstance(r, Mount)]

    def takes(method: str) -> bool:
        scope = {**request.scope, "method": method}
        return any(route.matches(scope)[0] is Match.FULL for route in routes)

    if takes(request.method):
        return []
    methods = [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if takes(m)]
    if "GET" in methods and answers_head(request.url.path):
        methods.insert(1, "HEAD")
    return methods


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    away = database_words(exc)
    if away is not None:
        # The job database was stopped or lost its connection: a 500 "internal error (OperationalError)"
        # and a traceback per request, where the client can only wait and try again.
        log.error("%s %s: %s", request.method, request.url.path, away)
        return error_response(
            503,
            "the server's job database cannot be reached right now; retry in a few seconds",
            code="database_unavailable",
            headers={"Retry-After": "5"},
        )
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, f"internal error ({type(exc).__name__}); see the server log")


def install(app: FastAPI) -> None:
    """Route every error through the envelope."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(ReelgenError, _reelgen_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # A job-database error is answered by its own class, not the catch-all: Starlette raises again
    # whatever its Exception handler answered, and the server then logged "Exception in ASGI
    # application" with a 100-line traceback per request while the database was away.
    app.add_exception_handler(sa.exc.DBAPIError, _unexpected)
    app.add_exception_handler(Exception, _unexpected)

"""Reading a JSON request body strictly: one value per name, bounded nesting, errors in plain words."""

from __future__ import annotations

import json
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelgen.api.errors import ApiError, error_response
from reelgen.core.json_repeats import repeated_key

#: How deep a request body may nest (JSON arrays and objects, form brackets); the create bodies
#: need four levels at most, and Python's parsers give up near a thousand.
MAX_DEPTH = 32

#: Bodies past this many bytes are checked on a worker thread. Checked on the event loop, a 30 MB body
#: of small objects held it for seconds, and every other request (a health check, an event stream, a
#: download) waited that long for its answer. Only this check moved: FastAPI's own parse of the same
#: body for its route still runs on the loop (/healthz answered in 0.6-1.4 s at worst while a 19.7 MB
#: body was posted, against 30 s before).
THREAD_BYTES = 64 * 1024


class _Duplicate(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _one_per_name(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads kept the last of two same-named fields without a word: {"prompt": "a", "prompt": "b"}
    # made a video of "b", though another reader of the same body (a proxy, a log) may take "a".
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise _Duplicate(name)
        out[name] = value
    return out


def nesting_depth(value: Any) -> int:
    """How deeply ``value`` nests lists and dicts (iteratively: no recursion to run out of)."""
    if not isinstance(value, dict | list):
        return 0
    deepest, pending = 1, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:  # only containers are kept: a million numbers need no look each
            inner = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in inner if isinstance(child, dict | list))
    return deepest


def _too_deep() -> ApiError:
    return ApiError(400, f"request body nests deeper than {MAX_DEPTH} levels")


def load_body(raw: bytes) -> Any:
    """The JSON value of a request body (``None`` when empty); a 400 for anything else."""
    too_deep = _too_deep()
    try:
        value = json.loads(raw or b"null", object_pairs_hook=_one_per_name)
    except _Duplicate as dup:
        raise _given_twice(dup.name, raw) from None
    except RecursionError:  # nested past what the parser can follow
        raise too_deep from None
    except ValueError as exc:
        raise _not_json(exc) from None
    if nesting_depth(value) > MAX_DEPTH:
        raise too_deep
    return value


def _not_json(exc: ValueError) -> ApiError:
    reason = str(exc)
    if "integer string conversion" in reason:  # Python's words name sys.set_int_max_str_digits()
        reason = "a number has more than 4300 digits"
    return ApiError(400, f"request body is not valid JSON ({reason})")


def _given_twice(name: str, body: bytes) -> ApiError:
    """The name's place in the body (``manifest.items[0].model``): the name alone (``model``) left a
    manifest of many items to search, and was no param a client could point at."""
    try:
        found = repeated_key(body.decode(json.detect_encoding(body)))
    except (UnicodeDecodeError, LookupError):
        found = None
    if found is not None:
        name = f"{found.where}.{found.key}" if found.where else found.key
    return ApiError(400, f"{name[:100]} is given twice in the request body; send it once", param=name[:100])


def _refusal(body: bytes) -> ApiError | None:
    """Why ``body`` is refused (a name given twice, too deep, not text or numbers), or None; a body that
    is no JSON at all is left to the route, whose own reading says where."""
    try:
        value = json.loads(body or b"null", object_pairs_hook=_one_per_name)
    except _Duplicate as dup:
        return _given_twice(dup.name, body)
    except RecursionError:
        return _too_deep()
    except json.JSONDecodeError:
        return None
    except ValueError as exc:  # not UTF-8, or a number of more digits than Python reads
        return _not_json(exc)
    return _too_deep() if nesting_depth(value) > MAX_DEPTH else None


class OneValuePerName:
    """ASGI middleware: a JSON body that gives one name twice, nests deeper than ``MAX_DEPTH`` or cannot
    be read as text or numbers is a 400 saying so, on every route.

    The bodies reelgen reads itself go through ``load_body``; those FastAPI reads (the legacy routes,
    batches, shoot-outs, remix, project render and export, system/free) took the last of the two without
    a word, and a body nested past what the parser follows, not UTF-8 or holding a number of 5000 digits
    heard "There was an error parsing the body".
    Bodies are already capped by ``BodyLimit`` outside this; a body that is no JSON is left to the route
    to say so. One over ``THREAD_BYTES`` is checked on a worker thread, so the event loop answers other
    requests during the check; the route's reading of the body after it (FastAPI's parse and
    validation) is not moved and still holds the loop, about a second per 20 MB.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if scope["type"] != "http" or not (kind == b"application/json" or kind.endswith(b"+json")):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while not messages or messages[-1].get("more_body", False):
            messages.append(await receive())
            if messages[-1]["type"] != "http.request":  # the client went away: nothing to answer
                return
        body = b"".join(m.get("body", b"") for m in messages)
        if len(body) > THREAD_BYTES:
            refused = await anyio.to_thread.run_sync(_refusal, body)
        else:
            refused = _refusal(body)
        if refused is not None:
            await error_response(400, refused.message, refused.param, refused.code)(scope, receive, send)
            return
        replayed = iter(messages)

        async def again() -> Message:
            return next(replayed, None) or await receive()

        await self.app(scope, again, send)

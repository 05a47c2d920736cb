"""File downloads whose problems answer in the API's error envelope, and HEAD wherever GET answers."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.utils import parsedate
from typing import BinaryIO

import anyio
from fastapi.responses import FileResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import MalformedRangeHeader, RangeNotSatisfiable
from starlette.routing import Match, Mount, Router
from starlette.staticfiles import NotModifiedResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelgen.api.errors import ApiError, answers_head, error_response
from reelgen.jobs.records import Job


class FileAnswer(FileResponse):
    """A ``FileResponse`` that never answers in plain text.

    Starlette answers a Range it cannot parse with a text/plain 400 and one past the end with an
    empty 416. Here a Range that is not a valid bytes range is ignored (the whole file, 200, as
    RFC 9110 allows), one past the end is a 416 envelope (unless an ``If-Range`` that does not
    match asks for the whole file), and a file deleted between the route
    and the send (a DELETE racing the download) is a 404 envelope before any header, instead of a 500;
    one deleted once the file is open (after the headers) is still sent whole from its descriptor. A copy the
    client has (``If-None-Match`` its ETag, or ``If-Modified-Since`` its date) is a 304: the ETag
    was sent but never compared, so a browser fetched every video of the gallery again.
    """

    _held: anyio.AsyncFile[bytes] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get(HEAD_AS_GET):
            scope = {**scope, "method": "HEAD"}  # headers only: the file is not read to be dropped
        try:
            held = await anyio.to_thread.run_sync(_open_no_link, str(self.path))
        except FileNotFoundError:
            gone = error_response(404, "the file was deleted while it was asked for", code="not_found")
            return await gone(scope, receive, send)
        except _NotAFile:
            folder = error_response(404, "the path is not a file; nothing is sent", code="not_found")
            return await folder(scope, receive, send)
        except _IsLink:
            # The server writes files, never links: one planted in its folders (exports/leak.json ->
            # a file of the server's account) was sent as if it were the export.
            link = error_response(
                404, "the file is a link to another place; it is not sent", code="not_found"
            )
            return await link(scope, receive, send)
        # Answered from the descriptor opened here, before any header: Starlette opened the path only
        # after sending the 200's headers, so a DELETE landing in between cut the answer off mid-way.
        # Its size and ETag are the open file's, which a delete cannot change.
        self._held = anyio.wrap_file(held)
        try:
            self.stat_result = found = os.fstat(held.fileno())
            self.set_stat_headers(found)
            # A server offering pathsend would open the path again itself, after the headers.
            extensions = {
                k: v for k, v in scope.get("extensions", {}).items() if k != "http.response.pathsend"
            }
            await self._answer({**scope, "extensions": extensions}, receive, send, found.st_size)
        finally:
            with anyio.CancelScope(shield=True):
                await self._held.aclose()

    @asynccontextmanager
    async def _open_file(self) -> AsyncIterator[anyio.AsyncFile[bytes]]:
        """The file opened before the headers were sent (closed by ``__call__``), not the path again."""
        assert self._held is not None
        yield self._held

    async def _answer(self, scope: Scope, receive: Receive, send: Send, size: int) -> None:
        """The answer to ``scope`` from the open file of ``size`` bytes: 304, 416 or the file."""
        asked = Headers(scope=scope)
        if _not_modified(self.headers, asked):
            # The browser's copy is this file (a job's outputs never change): nothing to send again.
            return await NotModifiedResponse(self.headers)(scope, receive, send)
        http_range, if_range = asked.get("range"), asked.get("if-range")
        # An If-Range naming another version of the file means "send all of it" (RFC 9110 13.1.5),
        # whatever its Range says: a resumed download of a changed file got a 416 instead.
        if http_range is not None and (not _well_formed(http_range) or _whole_file(http_range, size)):
            # Not a bytes range as RFC 9110 spells one: ignored, the whole file is sent. Python's int()
            # read "bytes=1_0-2_0" as bytes 10-20 and "+1-2" as 1-2, and "bytes=abc,0-9" sent 0-9.
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"range"]
            scope, http_range = {**scope, "headers": headers}, None
        if (
            http_range is not None
            and scope["type"] == "http"
            and (if_range is None or self._should_use_range(if_range))
        ):
            satisfiable = self._satisfiable(http_range, size)
            if satisfiable != http_range:  # the parts past the end dropped: RFC 9110 14.1.1 serves the rest
                headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"range"]
                scope = {**scope, "headers": [*headers, (b"range", satisfiable.encode("latin-1"))]}
            try:
                self._parse_range_header(satisfiable, size)
            except MalformedRangeHeader:
                headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"range"]
                scope = {**scope, "headers": headers}
            except RangeNotSatisfiable:
                last = f"bytes 0 to {size - 1}" if size else "no bytes"
                answer = error_response(
                    416,
                    f"Range {http_range!r} names no byte of the file; it has {size} bytes ({last})",
                    param="Range",
                    code="range_not_satisfiable",
                    headers={"Content-Range": f"bytes */{size}"},
                )
                return await answer(scope, receive, send)
        await super().__call__(scope, receive, send)

    @classmethod
    def _satisfiable(cls, http_range: str, size: int) -> str:
        """``http_range`` less its ranges that start past the end, when some other range is in the file.

        Starlette answered ``bytes=0-99,5000000-`` with a 416 for the whole request although its first
        range is in the file; RFC 9110 counts a set with one satisfiable range as satisfiable.
        """
        units, _, spec = http_range.partition("=")
        if units.strip().lower() != "bytes" or "," not in spec:
            return http_range
        try:
            parts = [p for p in spec.split(",") if p.strip() and cls._parse_ranges(p, size)]
            kept = [p for p in parts if all(0 <= start < size for start, _ in cls._parse_ranges(p, size))]
        except MalformedRangeHeader:
            return http_range
        return f"bytes={','.join(kept)}" if kept and len(kept) < len(parts) else http_range


#: One range of a bytes Range (RFC 9110 14.1.2): ``first-last``, ``first-`` or a suffix ``-length``, ASCII
#: digits only; empty elements of the list are allowed, as its #rule allows them.
_BYTE_RANGE = re.compile(r"[ \t]*(?:[0-9]+-[0-9]*|-[0-9]+)?[ \t]*")


def _well_formed(http_range: str) -> bool:
    """Whether ``http_range`` is ``bytes=`` and a list of byte ranges; any other unit is left to Starlette."""
    unit, equals, ranges = http_range.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return True  # Starlette ignores a Range it cannot parse, or in another unit, already
    return all(_BYTE_RANGE.fullmatch(part) for part in ranges.split(","))


def _whole_file(http_range: str, size: int) -> bool:
    """Whether a well-formed bytes Range is answered with the whole file of ``size`` bytes (200).

    A range whose last byte comes before its first (``bytes=5-2``) is invalid (RFC 9110 14.1.1), and
    is ignored as the malformed ones are: a 10-byte file did so, but an empty one answered 416, its
    first byte being checked against the end first. On an empty file a suffix range (``bytes=-5``, the
    last five bytes) is the one satisfiable kind there is (14.1.1); it was a 416 too. No 206 can say
    zero bytes (Content-Range has no empty form), so the whole file, empty, is sent (14.2 lets a server
    ignore a Range). ``bytes=0-`` and ``bytes=-0`` of an empty file are unsatisfiable: still a 416.
    """
    unit, _, ranges = http_range.partition("=")
    if unit.strip().lower() != "bytes":
        return False
    for part in ranges.split(","):
        first, _, last = part.strip().partition("-")
        if first and last and int(first) > int(last):
            return True
        if size == 0 and not first and last and int(last) > 0:
            return True
    return False


class _IsLink(OSError):
    """The path is a symbolic link."""


class _NotAFile(OSError):
    """The path is a folder or another thing that is not a regular file."""


def _open_no_link(path: str) -> BinaryIO:
    """``path`` opened to read, refusing a link (``O_NOFOLLOW``) in the same call, so nothing can swap
    one in between a check and the open."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _IsLink(path) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _NotAFile(path)
    return os.fdopen(fd, "rb")


def _not_modified(have: MutableHeaders, asked: Headers) -> bool:
    """RFC 9110's conditional GET: If-None-Match (weak comparison) decides, else If-Modified-Since."""
    if_none_match = asked.get("if-none-match")
    if if_none_match:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or have["etag"] in tags
    since, modified = asked.get("if-modified-since"), have.get("last-modified")
    if since is None or modified is None:
        return False
    since_t, modified_t = parsedate(since), parsedate(modified)
    return since_t is not None and modified_t is not None and since_t >= modified_t


#: Scope key set on a HEAD request that routes as a GET.
HEAD_AS_GET = "reelgen.head"


class HeadAsGet:
    """Answers HEAD wherever a GET route answers, with that GET's status and headers and no body.

    RFC 9110 asks every server to: ``curl -I``, download managers sizing a file and uptime checks
    send HEAD, and FastAPI's routes answered it 405. The event streams (``.../events``) stay GET
    only, as their body never ends. Paths no route takes go on as they came (the page's files
    answer HEAD themselves).
    """

    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or not self._has_get(scope):
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server reads the method of its own scope to send no body after the headers.
        as_get = {**scope, "method": "GET", HEAD_AS_GET: True}
        try:
            await self.app(as_get, receive, headers_only)
        finally:
            if "route" in as_get:  # the metrics name the route from the scope they were given
                scope["route"] = as_get["route"]

    def _has_get(self, scope: Scope) -> bool:
        if not answers_head(scope["path"]):
            return False
        as_get = {**scope, "method": "GET"}
        routes = (r for r in self.router.routes if not isinstance(r, Mount))
        return any(route.matches(as_get)[0] is Match.FULL for route in routes)


def content_gone(job: Job, variant: str = "video") -> ApiError:
    """The 404 for a completed job whose ``variant`` file is not there, saying why where the server
    can tell: every such file was said to be "removed (retention)", one deleted by hand too."""
    if job.data_removed:  # retention marks the job when it deletes its outputs
        said = f"the {variant} of {job.id} was removed (retention)"
    elif variant not in (job.result or {}).get("files", {}):
        said = f"video {job.id} has no {variant}"
    else:
        said = (
            f"the {variant} of {job.id} is missing: its file is no longer in the server's outputs "
            "(deleted outside reelgen; retention had not removed it)"
        )
    return ApiError(404, said, code="content_removed")

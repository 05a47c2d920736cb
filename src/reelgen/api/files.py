"""File downloads whose problems answer in the API's error envelope, as every other error does."""

from __future__ import annotations

import os

import anyio
from fastapi.responses import FileResponse
from starlette.datastructures import Headers
from starlette.responses import MalformedRangeHeader, RangeNotSatisfiable
from starlette.types import Receive, Scope, Send

from reelgen.api.errors import error_response


class FileAnswer(FileResponse):
    """A ``FileResponse`` that never answers in plain text.

    Starlette answers a Range it cannot parse with a text/plain 400 and one past the end with an
    empty 416. Here a Range that is not a valid bytes range is ignored (the whole file, 200, as
    RFC 9110 allows), one past the end is a 416 envelope, and a file deleted between the route
    and the send (a DELETE racing the download) is a 404 envelope instead of a 500.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.stat_result is None:
            try:
                self.stat_result = await anyio.to_thread.run_sync(os.stat, self.path)
            except FileNotFoundError:
                gone = error_response(404, "the file was deleted while it was asked for", code="not_found")
                return await gone(scope, receive, send)
            self.set_stat_headers(self.stat_result)
        http_range = Headers(scope=scope).get("range")
        if http_range is not None and scope["type"] == "http":
            size = self.stat_result.st_size
            try:
                self._parse_range_header(http_range, size)
            except MalformedRangeHeader:
                headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"range"]
                scope = {**scope, "headers": headers}
            except RangeNotSatisfiable:
                answer = error_response(
                    416,
                    f"Range {http_range!r} starts past the end of the file ({size} bytes)",
                    param="Range",
                    code="range_not_satisfiable",
                    headers={"Content-Range": f"bytes */{size}"},
                )
                return await answer(scope, receive, send)
        await super().__call__(scope, receive, send)

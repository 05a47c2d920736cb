"""The request body cap: a body over REELGEN_MAX_UPLOAD_BYTES is a 413, by Content-Length or as it streams."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelgen.api.errors import ApiError, error_response

#: Binary units, as the API's other sizes are said ("over 1 MiB", "75 MiB").
_UNITS = ("KiB", "MiB", "GiB", "TiB")


def size_words(count: int) -> str:
    """``count`` bytes as a person reads them, the exact count beside: ``97.7 KiB (100,000 bytes)``.

    The cap was said as ``0.09537 MiB (100000 bytes)``: a fraction of a unit, and a count to spell out.
    """
    exact = f"{count:,} byte" + ("" if count == 1 else "s")
    if count < 1024:
        return exact
    value, place = count / 1024, 0
    # Up a unit while the number would round to 1024: 1,048,575 bytes is "1 MiB", not "1024 KiB".
    while value >= 1023.5 and place < len(_UNITS) - 1:
        value, place = value / 1024, place + 1
    unit = _UNITS[place]
    # Three significant figures at most; a whole number of units (the 32 MiB default) as it is.
    shown = f"{value:.0f}" if value == int(value) or value >= 100 else f"{value:.3g}"
    return f"{shown} {unit} ({exact})"


class BodyTooLarge(ApiError):
    """The client sent more bytes than the server accepts (raised while the body streams in)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            413,
            f"request body is larger than {size_words(max_bytes)}, the most this "
            "server takes (REELGEN_MAX_UPLOAD_BYTES)",
        )


class BodyLimit:
    """ASGI middleware refusing bodies over ``max_bytes``: by Content-Length, or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        try:
            await self.app(scope, counting, send)
        except BodyTooLarge as exc:  # raised where no route handler caught it
            await error_response(413, exc.message)(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(413, BodyTooLarge(self.max_bytes).message)(scope, receive, send)

"""The request body cap: a body over REELGEN_MAX_UPLOAD_BYTES is a 413, by Content-Length or as it streams."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelgen.api.errors import ApiError, error_response


class BodyTooLarge(ApiError):
    """The client sent more bytes than the server accepts (raised while the body streams in)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            413,
            f"request body is larger than {max_bytes / 2**20:.4g} MiB ({max_bytes} bytes), the most this "
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

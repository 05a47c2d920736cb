"""The error answers ``/v1/videos`` routes document, in OpenAI's error envelope (the enhance and avatar routes share them)."""

from __future__ import annotations

from typing import Any

from reelgen.api.schemas import ErrorEnvelope

_ERROR_TEXT = {
    400: "Invalid request: the message names the parameter and its valid values",
    401: "Missing or wrong API key",
    404: "No such video",
    409: "Conflict: idempotency key reused with another body, or the video is not ready",
    413: "Upload too large",
    415: "Body neither JSON nor multipart/form-data",
    416: "Range names no byte of the file",
    429: "Queue full; see Retry-After",
    503: "The engine is restarting; see Retry-After",
    507: "The server's disk is full; nothing was kept",
}


def errors(*codes: int, **texts: str) -> dict[int | str, dict[str, Any]]:
    """The error answers of a route, in the envelope; ``texts`` (``e409=...``) say a code its own way."""
    return {
        code: {"model": ErrorEnvelope, "description": texts.get(f"e{code}") or _ERROR_TEXT[code]}
        for code in codes
    }


#: The errors of routes that queue jobs (the enhance and avatar routers answer these too).
ERRORS = errors(400, 401, 404, 409, 429)
#: Those of create, remix and enhance: every 409 is an Idempotency-Key reused with another body.
QUEUEING = errors(
    400, 409, 413, 415, 429, 503, 507, e409="Idempotency-Key reused with another body; not to be retried"
)

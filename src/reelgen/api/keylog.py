"""Keeps an API key sent in a URL out of the access log, and tells its sender why it was not read."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

#: Query parameters clients put keys in (OpenAI-style SDKs, curl habits, proxies' ``?token=``).
KEY_PARAMS = (
    "api_key",
    "api-key",
    "apikey",
    "key",
    "token",
    "access_token",
    "auth",
    "authorization",
    "bearer",
)
#: A key parameter's value in a URL, or in the repr of an ASGI scope's query string (``b'api_key=...'``).
_PARAM = re.compile(r"(?i)([?&'](?:" + "|".join(re.escape(p) for p in KEY_PARAMS) + r")=)[^&#\s\"']*")
HIDDEN = "[hidden]"


def key_param(query: str) -> str | None:
    """The first query parameter ``query`` holds a key in, or None."""
    match = _PARAM.search("?" + query)
    return match.group(1)[1:-1] if match else None


def redact(text: str, key: str | None) -> str:
    """``text`` with the server's key and every key-carrying query value replaced by ``[hidden]``."""
    if key:
        text = text.replace(key, HIDDEN)
    return _PARAM.sub(lambda m: m.group(1) + HIDDEN, text)


class RedactKeys(logging.Filter):
    """uvicorn's access line holds the path with its query: ``GET /v1/videos?api_key=...`` wrote the key
    to the log (and to whatever ships logs elsewhere) even though the request was refused."""

    def __init__(self, key: str | None) -> None:
        super().__init__()
        self.key = key

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._hidden(a) for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg, self.key)
        return True

    def _hidden(self, arg: object) -> object:
        """``arg`` as it is, or as its text with keys hidden where it held one: ``--log-level trace``
        logs each request's ASGI scope, a dict whose query string held the key."""
        if isinstance(arg, str):
            return redact(arg, self.key)
        if isinstance(arg, int | float | bytes) or arg is None:
            return arg  # %d and %x take numbers; none holds a key
        text = str(arg)
        hidden = redact(text, self.key)
        return arg if hidden == text else hidden


@contextmanager
def redacted_logs(key: str | None) -> Iterator[None]:
    """While the app runs, key-carrying text in uvicorn's access, error and trace lines is hidden."""
    loggers = [logging.getLogger(name) for name in ("uvicorn.access", "uvicorn.error", "uvicorn.asgi")]
    hider = RedactKeys(key)
    for logger in loggers:
        logger.addFilter(hider)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(hider)

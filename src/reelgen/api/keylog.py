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
_PARAM = re.compile(r"(?i)([?&](?:" + "|".join(re.escape(p) for p in KEY_PARAMS) + r")=)[^&#\s\"]*")
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
            record.args = tuple(redact(a, self.key) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg, self.key)
        return True


@contextmanager
def redacted_logs(key: str | None) -> Iterator[None]:
    """While the app runs, key-carrying text in uvicorn's access and error lines is hidden."""
    loggers = [logging.getLogger(name) for name in ("uvicorn.access", "uvicorn.error")]
    hider = RedactKeys(key)
    for logger in loggers:
        logger.addFilter(hider)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(hider)

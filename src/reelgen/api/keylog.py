"""Keeps an API key sent in a URL out of the access log, and tells its sender why it was not read."""

from __future__ import annotations

import logging
import re
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

from reelgen.core.redact import HIDDEN, hide_query_keys

#: Query parameters clients put this server's key in (OpenAI-style SDKs, curl habits, proxies'
#: ``?token=``): a 401 names the one it saw. What the log hides is wider: core.redact's rule.
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


def key_param(query: str) -> str | None:
    """The first query parameter ``query`` holds a key in, or None."""
    for pair in query.split("&"):
        name, equals, _value = pair.partition("=")
        if equals and urllib.parse.unquote(name).lower() in KEY_PARAMS:
            return name
    return None


def redact(text: str, key: str | None) -> str:
    """``text`` with the server's key and every key-like query value (core.redact's rule, the one
    webhook log lines follow: ``?sig=``, ``?X-Amz-Signature=`` too) replaced by ``[hidden]``.

    The key is hidden where it stands whole, not inside a longer word: a server started with
    ``--api-key a`` logged "W[hidden]iting for [hidden]pplic[hidden]tion", which hid nothing a
    reader needed and showed them the key (every hidden place was an "a")."""
    if key:
        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])", HIDDEN, text)
    return hide_query_keys(text)


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

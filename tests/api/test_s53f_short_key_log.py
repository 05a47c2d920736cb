"""The server's key is hidden in its log where it stands whole, never inside other words."""

from __future__ import annotations

import logging

import pytest

from reelgen.api.keylog import RedactKeys


def _logged(key: str, msg: str, *args: object) -> str:
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, msg, args, None)
    RedactKeys(key).filter(record)
    return record.getMessage()


def test_a_short_key_leaves_the_words_around_it_alone() -> None:
    # With --api-key a, serve's log read "W[hidden]iting for [hidden]pplic[hidden]tion shutdown.":
    # unreadable, and the key plain to see from where [hidden] stood.
    assert _logged("a", "Waiting for application shutdown.") == "Waiting for application shutdown."
    assert _logged("a", "%s", "Started server process [a]") == "Started server process [[hidden]]"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("'authorization': b'Bearer s3cret'", "'authorization': b'Bearer [hidden]'"),
        ('"GET /v1/videos?x=s3cret&y=1 HTTP/1.1" 401', '"GET /v1/videos?x=[hidden]&y=1 HTTP/1.1" 401'),
        ("s3cret", "[hidden]"),
        ("s3crets and xs3cret are other words", "s3crets and xs3cret are other words"),
    ],
)
def test_the_key_standing_whole_is_still_hidden(line: str, shown: str) -> None:
    assert _logged("s3cret", "%s", line) == shown
    assert _logged("s3cret", line.replace("%", "%%")) == shown

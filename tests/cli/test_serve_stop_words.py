"""Stopping `reelgen serve` with event streams open says it closed them, not "ERROR"."""

from __future__ import annotations

import io
import logging

import pytest
from uvicorn.logging import DefaultFormatter

from reelgen.cli import serve_logs


@pytest.mark.parametrize(("level", "shown"), [(logging.INFO, True), (logging.WARNING, False)])
def test_streams_cut_off_at_a_stop_are_news_not_an_error(level: int, shown: bool) -> None:
    # Every Ctrl-C with a `reelgen watch` open printed
    # "ERROR:    Cancel 1 running task(s), timeout graceful shutdown exceeded".
    logger = logging.getLogger(f"uvicorn.error.test_stop_words_{level}")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(DefaultFormatter("%(levelprefix)s %(message)s", use_colors=False))
    logger.addHandler(handler)
    logger.addFilter(serve_logs.streams_closed_as_info)
    logger.setLevel(level)
    logger.propagate = False
    try:
        # uvicorn's own call, word for word (uvicorn/server.py, Server.shutdown)
        logger.error("Cancel %s running task(s), timeout graceful shutdown exceeded", 1)
        logger.error("something else failed")
    finally:
        logger.removeHandler(handler)
    lines = out.getvalue().splitlines()
    closed = (
        "INFO:     closed 1 request(s) still open (event streams such as `reelgen watch` or the web "
        "page's last until their job ends; those clients reconnect when the server is back)"
    )
    assert lines == ([closed] if shown else []) + ["ERROR:    something else failed"]

"""A request the job database refused is said in one line, without uvicorn's traceback, under any ASGI server.

With the SQLite queue locked by another process for a minute, `POST /v1/videos` answered 503
`database_unavailable` and the API logged one line, and then uvicorn logged "Exception in ASGI
application" with a 100-line traceback of the same error (Starlette raises it again after its
catch-all handler answered): one per request for as long as the database was away.
"""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI

from reelgen.api import error_handlers
from reelgen.cli import serve_logs


def _app() -> FastAPI:
    app = FastAPI()
    error_handlers.install(app)

    @app.post("/v1/videos")
    def create() -> None:  # as JobStore._write raises it when SQLite's busy wait runs out
        raise sa.exc.OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    @app.get("/bug")
    def bug() -> None:
        raise RuntimeError("a bug")

    return app


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, io.StringIO]]:
    """The app under a real uvicorn, with the filters `reelgen serve` puts on uvicorn's error log (none of
    them about the database: the API's handler keeps such an error from uvicorn)."""
    monkeypatch.delenv("REELGEN_TRACEBACK", raising=False)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("uvicorn.error")
    filters = [
        serve_logs.quiet_stream_cancels,
        serve_logs.streams_closed_as_info,
        serve_logs.startup_failure_in_one_line,
    ]
    # As serve leaves it; another test's uvicorn may have configured it otherwise (level, disabled).
    was = (logger.level, logger.disabled)
    logger.setLevel(logging.INFO)
    logger.disabled = False
    logger.addHandler(handler)
    for f in filters:
        logger.addFilter(f)
    server = uvicorn.Server(
        uvicorn.Config(_app(), host="127.0.0.1", port=port, log_config=None, lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        yield f"http://127.0.0.1:{port}", out
    finally:
        server.should_exit = True
        thread.join(10)
        logger.removeHandler(handler)
        for f in filters:
            logger.removeFilter(f)
        logger.setLevel(was[0])
        logger.disabled = was[1]


def test_a_request_the_database_refused_is_one_line_and_a_bug_keeps_its_traceback(
    served: tuple[str, io.StringIO],
) -> None:
    url, log = served
    for _ in range(3):
        reply = httpx.post(f"{url}/v1/videos", timeout=10)
        assert reply.status_code == 503
        assert reply.json()["error"]["code"] == "database_unavailable"
    assert httpx.get(f"{url}/bug", timeout=10).status_code == 500
    # uvicorn logs an error after its answer went out: wait for the bug's, which comes last.
    deadline = time.monotonic() + 10
    while "RuntimeError: a bug" not in log.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    said = log.getvalue()
    assert "RuntimeError: a bug" in said  # what is not the database is still shown whole
    assert said.count("Exception in ASGI application") == 1  # the bug's alone
    assert "OperationalError" not in said and "database is locked" not in said

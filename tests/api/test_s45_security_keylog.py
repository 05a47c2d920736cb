"""An API key sent in a URL stays out of the log at every uvicorn level, trace (the ASGI scope) included."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from uvicorn.logging import TRACE_LOG_LEVEL
from uvicorn.middleware.message_logger import MessageLoggerMiddleware

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings


def test_trace_logging_of_the_asgi_scope_hides_a_key_in_the_query(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # `reelgen serve --log-level trace` logs each request's scope, a dict whose query string held
    # ?api_key=...; the filter hid keys only in text arguments, and only on the access and error loggers.
    settings = ApiSettings(
        jobs=JobSettings(data_dir=data_dir), serve_web=False, api_key=SecretStr("s3cret-key-in-url")
    )
    before = list(logging.getLogger("uvicorn.asgi").filters)  # another app of this process may run
    app = create_app(settings, start_service=False)
    with (
        caplog.at_level(TRACE_LOG_LEVEL, logger="uvicorn.asgi"),
        TestClient(MessageLoggerMiddleware(app)) as client,  # type: ignore[arg-type]
    ):
        refused = client.get("/v1/videos?limit=2&api_key=s3cret-key-in-url")
        also = client.get("/v1/videos?token=another-key&limit=2")
    assert refused.status_code == also.status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.asgi"]
    started = [line for line in lines if "Started scope={'type': 'http'" in line]
    assert len(started) == 2, lines
    assert not [line for line in lines if "s3cret-key-in-url" in line or "another-key" in line]
    assert "api_key=[hidden]" in started[0] and "token=[hidden]" in started[1]
    assert "limit=2" in started[0] and "limit=2" in started[1]  # the rest of the query as it was
    assert logging.getLogger("uvicorn.asgi").filters == before  # this app's filter went with it

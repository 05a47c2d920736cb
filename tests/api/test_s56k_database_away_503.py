"""While the job database cannot be reached, clients are told to retry (503), not shown an internal error."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from reelgen.jobs.store import JobStore

REFUSED = 'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def test_a_database_away_answers_503_with_retry_after_and_one_log_line(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """It answered 500 "internal error (OperationalError); see the server log", a traceback per request."""

    def away(*args: Any, **kwargs: Any) -> Any:
        raise sa.exc.OperationalError("SELECT ...", {}, psycopg.OperationalError(REFUSED))

    monkeypatch.setattr(JobStore, "list", away)
    with caplog.at_level(logging.ERROR, logger="reelgen.api.error_handlers"):
        answer = client.get("/v1/videos")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    error = answer.json()["error"]
    assert error["code"] == "database_unavailable"
    assert error["message"] == "the server's job database cannot be reached right now; retry in a few seconds"
    assert [r.exc_info for r in caplog.records] == [None]
    assert REFUSED in caplog.text

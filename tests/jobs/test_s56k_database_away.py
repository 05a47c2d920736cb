"""A job database that cannot be reached for a while is said once in the server's log, and again when it is back."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import cast

import psycopg
import pytest
import sqlalchemy as sa

from reelgen.jobs import dispatcher as dispatcher_module
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.dispatcher import Dispatcher
from reelgen.jobs.engine import Engine
from reelgen.jobs.records import Job
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore

REFUSED = 'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def test_a_database_away_for_a_while_is_one_line_then_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A PostgreSQL stopped for half a minute wrote a full traceback every second from each loop (8,000 lines)."""
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    dispatch = Dispatcher(
        store, Artifacts(tmp_path / "data"), cast(Engine, object()), JobSettings(data_dir=tmp_path)
    )
    passes = iter(range(12))
    meanwhile: list[str | None] = []
    monkeypatch.setattr(dispatcher_module, "IDLE_POLL_S", 0.0)

    def next_queued() -> Job | None:
        n = next(passes)
        meanwhile.append(dispatch.trouble.database)  # what /readyz says (JobService.health)
        if n >= 10:
            dispatch._stop.set()
        if n < 8:  # the database is away for eight passes
            raise sa.exc.OperationalError("SELECT ...", {}, psycopg.OperationalError(REFUSED))
        return None

    monkeypatch.setattr(store, "next_queued", next_queued)
    try:
        with caplog.at_level(logging.WARNING, logger="reelgen.jobs.dispatcher"):
            dispatch._loop()
    finally:
        store.close()
    said = [(r.levelname, r.getMessage(), r.exc_info) for r in caplog.records]
    assert said == [
        (
            "ERROR",
            f"dispatcher pass failed: the job database cannot be reached or refused the work ({REFUSED}); "
            "retrying every second, said again only if this changes",
            None,
        ),
        ("WARNING", "dispatcher pass works again", None),
    ]
    away = "the job database cannot be reached; the server tries again every second (its log says why)"
    assert meanwhile == [None] + [away] * 8 + [None] * 2
    assert dispatch.trouble.database is None

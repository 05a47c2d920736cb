"""A full job database is said once in the server's log, naming the database, and again once it takes writes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from reelgen.core.errors import WriteFailed
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


def test_a_full_database_is_said_once_and_its_end_too(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A submit refused 507 left only the access line "507 Insufficient Storage" in the server's log."""
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    with store.engine.connect() as conn:
        room = {"pages": conn.exec_driver_sql("PRAGMA page_count").scalar_one()}

    @sa.event.listens_for(store.engine, "connect")
    def _cap(dbapi_connection: Any, _record: Any) -> None:  # SQLite says SQLITE_FULL, as on a full disk
        dbapi_connection.execute(f"PRAGMA max_page_count={room['pages']}")

    store.engine.dispose()  # pooled connections were opened without the cap
    try:
        with caplog.at_level(logging.WARNING, logger="reelgen.jobs._sql"):
            refused = 0
            for _ in range(50):  # the first pages may still have room for a row or two
                try:
                    create(store, request())
                except WriteFailed:
                    refused += 1
            assert refused >= 2
            room["pages"] = 1_000_000  # space is freed
            store.engine.dispose()
            create(store, request())
            create(store, request())
    finally:
        store.close()
    said = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert said == [
        (
            "ERROR",
            f"sqlite:///{tmp_path / 'jobs.db'}: the job database has no room left (database or disk is full); "
            "free some space on the server; new jobs are refused (507) until then",
        ),
        ("WARNING", f"the job database sqlite:///{tmp_path / 'jobs.db'} takes writes again"),
    ]

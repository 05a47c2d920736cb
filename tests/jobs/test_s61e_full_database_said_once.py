"""A full job database is said once while a server goes on with transactions that change nothing.

On a live `reelgen serve` whose disk filled mid-job the log flipped between "no room left" and
"takes writes again" every second: a claim that found nothing or a lease renewal of no job commits
on a full disk too, and was taken for room.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from reelgen.core.errors import WriteFailed
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


def _nothing_to_change(store: JobStore) -> None:
    """What a server's loops do every second while no job runs: each a write transaction."""
    assert store.claim_webhooks(4, hold_s=15) == []
    assert store.renew_leases("someone", 20, ["video_" + "0" * 32]) == []


def test_a_full_sqlite_database_is_said_once_while_the_loops_change_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
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
                _nothing_to_change(store)
            assert refused >= 2
            room["pages"] = 1_000_000  # space is freed
            store.engine.dispose()
            _nothing_to_change(store)
            assert len(caplog.records) == 1  # not said to be over before a row is written
            create(store, request())
            create(store, request())
    finally:
        store.close()
    said = [(r.levelname, r.getMessage()) for r in caplog.records]
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    assert said == [
        (
            "ERROR",
            f"{url}: the job database has no room left (database or disk is full); "
            "free some space on the server; new jobs are refused (507) until then",
        ),
        ("WARNING", f"the job database {url} takes writes again"),
    ]


def test_on_postgresql_only_a_transaction_that_changed_a_row_says_it_takes_writes_again(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # PostgreSQL's disk cannot be filled here: the store is told it found it full, as its _write does.
    store = JobStore(postgres_url)
    try:
        store._full = True
        with caplog.at_level(logging.WARNING, logger="reelgen.jobs._sql"):
            _nothing_to_change(store)
            assert caplog.records == []
            create(store, request())
            create(store, request())
    finally:
        store.close()
    said = [r.getMessage() for r in caplog.records]
    assert said == [f"the job database {store.url_said} takes writes again"]

"""Writers of one server waiting on a SQLite queue another process holds each wait once, not in turn.

Four creates sent at once to a live `reelgen serve` while another process held its jobs.db with
BEGIN EXCLUSIVE were answered 503 after 30, 60, 90 and 120 s: each waited SQLite's whole busy
timeout after the one before it had.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from reelgen.jobs import _sql
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


def test_creates_queued_behind_a_locked_database_all_give_up_within_one_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_sql, "WRITE_WAIT_S", 2.0, raising=False)  # the server's is 30 s
    path = tmp_path / "jobs.db"
    store = JobStore(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)  # another process's hold, as sqlite3 takes it
    other.execute("BEGIN EXCLUSIVE")
    ended: list[tuple[float, str]] = []
    began = time.monotonic()

    def submit() -> None:
        try:
            create(store, request())
            ended.append((time.monotonic() - began, "made"))
        except sa.exc.OperationalError as exc:
            ended.append((time.monotonic() - began, str(exc.orig)))

    threads = [threading.Thread(target=submit, daemon=True) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(15)
        assert len(ended) == 4, f"only {len(ended)} of 4 creates were answered within 15 s"
        assert all(said == "database is locked" for _, said in ended), ended
        assert max(took for took, _ in ended) < 4.5, ended  # each waited 2 s at most, not 2, 4, 6, 8
        other.execute("COMMIT")
        create(store, request())  # and the next write goes through once the other lets go
    finally:
        other.close()
        store.close()
    assert store.counts()["queued"] == 1

"""The record of a deleted job keeps its kind, so a list of other kinds refuses its id as a cursor;
records from before (revision 0004, no kind) still mark their place."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from reelgen.jobs import db, kinds
from reelgen.jobs.records import Facts, JobNotFound
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create


def test_a_deleted_parent_is_no_cursor_of_the_video_list(store: JobStore) -> None:
    older = create(store)
    batch = store.create("batch", {"count": 1}, Facts(model="jobtest-tiny", prompt="p"), start_as="driver")
    newer = create(store)
    store.delete(batch.id, force=True)
    with pytest.raises(JobNotFound) as caught:
        store.list(after=batch.id, kind=kinds.VIDEO_KINDS)
    assert "batch" in str(caught.value) and "deleted" in str(caught.value)
    # Lists of its own kind, or of every kind, still go on from where it stood.
    assert store.list(after=batch.id, kind="batch").items == []
    assert [j.id for j in store.list(after=batch.id).items] == [older.id]
    assert [j.id for j in store.list(after=batch.id, order="asc").items] == [newer.id]


def test_a_deletion_recorded_before_kinds_still_marks_its_place(
    store_url: str, make_store: Callable[..., JobStore]
) -> None:
    engine = db.connect(store_url)
    config = Config()
    config.set_main_option("script_location", "reelgen.jobs:migrations")
    with db.writer(engine).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    gone = "video_" + "b" * 32
    with db.writer(engine).begin() as conn:
        conn.execute(
            sa.text("INSERT INTO reelgen_deleted (id, created_at, deleted_at) VALUES (:id, :c, :d)"),
            {"id": gone, "c": time.time(), "d": time.time()},
        )
    engine.dispose()
    store = make_store()  # opening migrates to head
    older = create(store)
    with db.writer(store.engine).begin() as conn:
        conn.execute(sa.text("UPDATE reelgen_jobs SET created_at = 1.0 WHERE id = :id"), {"id": older.id})
    assert [j.id for j in store.list(after=gone, kind=kinds.VIDEO_KINDS).items] == [older.id]
    assert [j.id for j in store.list(after=gone, kind="batch").items] == []

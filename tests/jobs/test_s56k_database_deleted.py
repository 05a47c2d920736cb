"""A SQLite job database deleted while the server runs is written back, so a restart still finds every job."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import cast

import pytest

from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.dispatcher import Dispatcher
from reelgen.jobs.engine import Engine
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


def test_a_deleted_data_folder_keeps_its_jobs_across_a_restart(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The server went on writing into the deleted file, said nothing, and the next start had no jobs."""
    data = tmp_path / "data"
    store = JobStore(f"sqlite:///{data / 'jobs.db'}")
    dispatcher = Dispatcher(store, Artifacts(data), cast(Engine, object()), JobSettings(data_dir=data))
    dispatcher.database_file.start()  # as Dispatcher.start does
    try:
        before = create(store, request("before"))
        shutil.rmtree(data)  # `rm -rf` of the data folder while the server runs
        during = create(store, request("while it was gone"))
        with caplog.at_level(logging.ERROR, logger="reelgen.jobs._db_file"):
            dispatcher._housekeeping()  # the dispatcher's next pass
        after = create(store, request("after"))
    finally:
        dispatcher.database_file.close()
        store.close()
    assert f"the job database {data / 'jobs.db'} was deleted while the server ran; it was written back" in (
        caplog.text
    )
    assert "(2 jobs kept)" in caplog.text
    assert (data / "jobs.db").stat().st_mode & 0o777 and (data.stat().st_mode & 0o777) == 0o700

    restarted = JobStore(f"sqlite:///{data / 'jobs.db'}")  # the server started again on the same data
    try:
        assert {restarted.get(j.id).prompt for j in (before, during, after)} == {
            "before",
            "while it was gone",
            "after",
        }
    finally:
        restarted.close()


def test_a_database_put_in_its_place_is_not_overwritten(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    store = JobStore(f"sqlite:///{data / 'jobs.db'}")
    dispatcher = Dispatcher(store, Artifacts(data), cast(Engine, object()), JobSettings(data_dir=data))
    dispatcher.database_file.start()
    other = JobStore(f"sqlite:///{tmp_path / 'backup.db'}")
    kept = create(other, request("from the backup"))
    other.close()
    try:
        for old in data.glob("jobs.db*"):
            old.unlink()
        shutil.move(tmp_path / "backup.db", data / "jobs.db")  # a backup put back by hand
        with caplog.at_level(logging.ERROR, logger="reelgen.jobs._db_file"):
            dispatcher.database_file.check()
            dispatcher.database_file.check()
    finally:
        dispatcher.database_file.close()
        store.close()
    assert caplog.text.count("was replaced by another file while the server ran") == 1  # said once
    restarted = JobStore(f"sqlite:///{data / 'jobs.db'}")
    try:
        assert restarted.get(kept.id).prompt == "from the backup"
    finally:
        restarted.close()

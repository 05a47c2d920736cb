"""Leases a full job database refuses to renew are said failed once, not "works again" between renewals.

On a live `reelgen serve` whose disk filled mid-job, "renewing leases failed: ... no room left" and
"renewing leases works again" alternated: the reads for cancels made between two renewals, which a
full disk does not stop, were taken for the renewals working again.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import cast

import pytest

from reelgen.core.errors import WriteFailed
from reelgen.jobs import dispatcher
from reelgen.jobs.artifacts import Artifacts
from reelgen.jobs.dispatcher import Dispatcher
from reelgen.jobs.engine import Engine
from reelgen.jobs.run import Run
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create, request


def test_a_refused_renewal_is_said_once_until_a_renewal_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    try:
        create(store, request())
        job = store.claim_next("worker-0", lease_s=4.0, owner="me")
        assert job is not None
        settings = JobSettings(data_dir=tmp_path / "data", lease_s=4.0)  # renewed every second
        dispatch = Dispatcher(store, Artifacts(tmp_path / "data"), cast(Engine, object()), settings, "me")
        dispatch.running[job.id] = cast(Run, None)
        renew = store.renew_leases
        full = threading.Event()
        full.set()

        def renew_leases(*args: object, **kwargs: object) -> list[str]:
            if full.is_set():
                raise WriteFailed(
                    "the job database has no room left (database or disk is full)", disk_full=True
                )
            return renew(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "renew_leases", renew_leases)
        monkeypatch.setattr(dispatcher, "IDLE_POLL_S", 0.01)
        thread = threading.Thread(target=dispatch._keep_leases)
        with caplog.at_level(logging.WARNING, logger="reelgen.jobs.dispatcher"):
            thread.start()
            time.sleep(2.5)  # three renewals refused, a couple of hundred reads for cancels between them
            said_while_full = [r.getMessage() for r in caplog.records]
            full.clear()
            deadline = time.monotonic() + 15  # the next renewal works (each second; later on a busy machine)
            while len(caplog.records) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            dispatch._stop.set()
            thread.join()
    finally:
        store.close()
    assert said_while_full == [
        "renewing leases failed: the job database has no room left (database or disk is full); "
        "retrying every second, said again only if this changes"
    ]
    assert [r.getMessage() for r in caplog.records][1:] == ["renewing leases works again"]

"""The dispatcher's first cleanup pass, and a job it refuses, as an operator relies on them."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.jobs import dispatcher, reconcile
from reelgen.jobs.records import JobStatus
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create
from tests.jobs.test_h3_database_trouble import _dispatcher


def test_the_first_cleanup_runs_as_the_server_starts_on_a_machine_just_booted(
    monkeypatch: pytest.MonkeyPatch, store: JobStore, tmp_path: Path
) -> None:
    passes: list[object] = []
    monkeypatch.setattr(reconcile, "cleanup", lambda *args, **kwargs: passes.append(args))
    # Booted two minutes ago, on the dispatcher's clock only: the time module's own clock is every event
    # loop's in this test process, and a timer set on a clock moved ahead comes due late.
    monkeypatch.setattr(dispatcher, "time", SimpleNamespace(monotonic=lambda: 120.0))
    _dispatcher(store, tmp_path)._housekeeping()
    assert len(passes) == 1  # it waited until the machine had been up an hour


def test_a_refused_job_whose_failure_cannot_be_recorded_is_left_leased_for_recovery(
    monkeypatch: pytest.MonkeyPatch, store: JobStore, tmp_path: Path
) -> None:
    job = create(store)
    chosen = _dispatcher(store, tmp_path, owner="me")

    def lost(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(store, "fail", lost)
    with pytest.raises(RuntimeError):
        chosen._refuse(job, InvalidRequest("no worker can run it"))
    held = store.get(job.id)
    assert held is not None and held.status is JobStatus.IN_PROGRESS
    assert held.owner == "me" and held.lease_until is not None
    assert held.lease_until <= time.time() + chosen.settings.lease_s + 1
    assert job.id in {j.id for j in reconcile.orphans(store, now=held.lease_until + 1)}

"""An ended batch's or shoot-out's progress after one of its item jobs was deleted: that item still counts as ended."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from fastapi.testclient import TestClient

from reelgen.api.fanout import progress
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.service import JobService


@pytest.fixture
def client(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return make_client()


def test_a_cancelled_shootouts_progress_keeps_its_finished_trial_once_that_trial_is_deleted(
    client: TestClient, tmp_path: Path
) -> None:
    """Its one finished trial of two deleted, a cancelled shoot-out read progress 0, as if nothing ran."""
    body = {
        "models": ["ltx-tiny"],
        "prompts": {"prompts": ["a fox", "a cat"]},
        "output_folder": str(tmp_path),
    }
    shootout_id = client.post("/v1/shootouts", json=body).json()["id"]
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    # Its first trial ran to an end (as a worker ends it), the second was made, then it was cancelled.
    [first] = service.children(shootout_id)
    claimed = service.store.claim_next("worker", job_id=first.id)
    assert claimed is not None
    service.store.complete(first.id, claimed.token, {})
    service.parents.advance(shootout_id)
    assert client.post(f"/v1/shootouts/{shootout_id}/cancel").status_code == 200
    assert client.get(f"/v1/shootouts/{shootout_id}").json()["progress"] == 50

    assert client.delete(f"/v1/videos/{first.id}").status_code == 200
    shootout = client.get(f"/v1/shootouts/{shootout_id}").json()
    assert (shootout["status"], shootout["progress"]) == ("cancelled", 50)
    assert client.get("/v1/shootouts").json()["data"][0]["progress"] == 50


def _job(status: JobStatus, made: int = 0) -> Job:
    return cast(Job, SimpleNamespace(status=status, terminal=status.terminal, metrics={"children": made}))


def test_a_batchs_progress_keeps_its_deleted_items_as_ended() -> None:
    """A batch's share is of the item jobs it has: cancelled with 3 of its 4 ended (75), its 2 completed
    deleted read 1 of 2 (50); failed with all 4 ended (99), it read the same only by luck."""
    items = [
        _job(s) for s in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.COMPLETED, JobStatus.CANCELLED)
    ]
    kept = [items[1], items[3]]  # the completed ones deleted, for their files
    cancelled = _job(JobStatus.CANCELLED, made=4)
    assert progress(cancelled, items) == progress(cancelled, kept) == 75
    failed = _job(JobStatus.FAILED, made=4)
    assert progress(failed, items) == progress(failed, kept) == progress(failed, []) == 99

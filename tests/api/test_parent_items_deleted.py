"""A batch's or shoot-out's counts and progress after its item jobs are deleted (DELETE /v1/videos/{id}).

Deleted items are counted as ``deleted``, the others as before; progress keeps the share that ran to an
end, as the parent recorded when it ended, not every item it no longer has.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from reelgen.api.parent_counts import progress
from reelgen.jobs.records import Job, JobStatus
from reelgen.jobs.service import JobService


@pytest.fixture
def client(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return make_client()


def _shootout(client: TestClient, tmp_path: Path) -> tuple[str, JobService]:
    """A shoot-out of two trials; its first is made, the second waits for it."""
    body = {
        "models": ["ltx-tiny"],
        "prompts": {"prompts": ["a fox", "a cat"]},
        "output_folder": str(tmp_path),
    }
    created = client.post("/v1/shootouts", json=body)
    assert created.status_code == 202, created.text
    return str(created.json()["id"]), client.app.state.service  # type: ignore[attr-defined]


def _first_trial_run_then_cancelled(client: TestClient, tmp_path: Path) -> tuple[str, Job, Job]:
    """Its first trial ran to an end (as a worker ends it), the second was made, then it was cancelled."""
    shootout_id, service = _shootout(client, tmp_path)
    [first] = service.children(shootout_id)
    claimed = service.store.claim_next("worker", job_id=first.id)
    assert claimed is not None
    service.store.complete(first.id, claimed.token, {})
    service.parents.advance(shootout_id)
    assert client.post(f"/v1/shootouts/{shootout_id}/cancel").status_code == 200
    second = next(c for c in service.children(shootout_id) if c.id != first.id)
    assert second.status is JobStatus.CANCELLED
    return shootout_id, first, second


def _seen(client: TestClient, shootout_id: str) -> tuple[Any, Any, Any, Any]:
    """Status, progress and counts as GET /v1/shootouts/{id} says them, and progress as the list says it."""
    one = client.get(f"/v1/shootouts/{shootout_id}").json()
    listed = client.get("/v1/shootouts").json()["data"][0]
    assert listed["request_counts"] == one["request_counts"]
    return one["status"], one["progress"], one["request_counts"], listed["progress"]


def _status_and_progress(client: TestClient, shootout_id: str) -> tuple[Any, Any, Any]:
    status, made, _, listed = _seen(client, shootout_id)
    return status, made, listed


def test_a_deleted_trial_is_counted_deleted_and_the_others_are_kept(
    client: TestClient, tmp_path: Path
) -> None:
    """After the delete of its one completed trial the shoot-out read completed 0 and nothing else: the
    trial was gone from its counts without a word, as if it never ran."""
    shootout_id, first, _ = _first_trial_run_then_cancelled(client, tmp_path)
    counts = _seen(client, shootout_id)[2]
    assert (counts["completed"], counts["cancelled"], counts["deleted"]) == (1, 1, 0)
    assert client.delete(f"/v1/videos/{first.id}").status_code == 200
    assert _seen(client, shootout_id)[2] == {
        "total": 2,
        "queued": 0,
        "in_progress": 0,
        "completed": 0,
        "failed": 0,
        "cancelled": 1,
        "deleted": 1,
    }


def test_a_cancelled_shootout_keeps_the_share_that_ran_whichever_trials_are_deleted(
    client: TestClient, tmp_path: Path
) -> None:
    """One trial of two ran, the other was cancelled with the shoot-out: 50. Deleting the finished trial
    read 0; deleting the cancelled one read 99, as if it had run."""
    shootout_id, first, second = _first_trial_run_then_cancelled(client, tmp_path)
    assert _status_and_progress(client, shootout_id) == ("cancelled", 50, 50)
    assert client.delete(f"/v1/videos/{second.id}").status_code == 200
    assert _status_and_progress(client, shootout_id) == ("cancelled", 50, 50)
    assert client.delete(f"/v1/videos/{first.id}").status_code == 200
    assert _status_and_progress(client, shootout_id) == ("cancelled", 50, 50)


def test_a_shootout_cancelled_before_any_trial_ran_stays_at_0_once_its_trial_is_deleted(
    client: TestClient, tmp_path: Path
) -> None:
    """Cancelled before its first trial ran it read 0; its cancelled trial deleted, 50."""
    shootout_id, service = _shootout(client, tmp_path)
    assert client.post(f"/v1/shootouts/{shootout_id}/cancel").status_code == 200
    assert _status_and_progress(client, shootout_id) == ("cancelled", 0, 0)
    [trial] = service.children(shootout_id)
    assert client.delete(f"/v1/videos/{trial.id}").status_code == 200
    assert _status_and_progress(client, shootout_id) == ("cancelled", 0, 0)


def _job(status: JobStatus, **metrics: int) -> Job:
    return cast(Job, SimpleNamespace(status=status, terminal=status.terminal, metrics=metrics))


def test_a_cancelled_batch_of_4_with_3_run_reads_75_with_any_items_deleted() -> None:
    """Its 2 completed deleted read 1 of 2 (50), all deleted 99: the share is of what it recorded."""
    items = [
        _job(s) for s in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.COMPLETED, JobStatus.CANCELLED)
    ]
    cancelled = _job(JobStatus.CANCELLED, children=4, ended=3)
    assert (
        progress(cancelled, items)
        == progress(cancelled, [items[1], items[3]])
        == progress(cancelled, [])
        == 75
    )


def test_a_failed_batch_reads_99_whatever_is_deleted() -> None:
    items = [
        _job(s) for s in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.COMPLETED, JobStatus.CANCELLED)
    ]
    failed = _job(JobStatus.FAILED, children=4)
    assert progress(failed, items) == progress(failed, [items[1], items[3]]) == progress(failed, []) == 99


def test_a_record_from_before_it_kept_ended_counts_its_deleted_items_as_ended() -> None:
    """Records written before the parent kept how many of its items ended read as they did."""
    assert progress(_job(JobStatus.CANCELLED, children=4), []) == 99

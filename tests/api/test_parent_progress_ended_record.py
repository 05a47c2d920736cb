"""A cancelled shoot-out's or batch's progress once its item jobs are deleted: those that ran to an end,
as the parent recorded when it was cancelled, not every item it no longer has."""

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


def _shootout(client: TestClient, tmp_path: Path) -> str:
    body = {
        "models": ["ltx-tiny"],
        "prompts": {"prompts": ["a fox", "a cat"]},
        "output_folder": str(tmp_path),
    }
    created = client.post("/v1/shootouts", json=body)
    assert created.status_code == 202, created.text
    return str(created.json()["id"])


def _progress(client: TestClient, shootout_id: str) -> tuple[Any, Any, Any]:
    one = client.get(f"/v1/shootouts/{shootout_id}").json()
    listed = client.get("/v1/shootouts").json()["data"][0]
    return one["status"], one["progress"], listed["progress"]


def test_deleting_a_cancelled_shootouts_trials_keeps_the_share_that_ran(
    client: TestClient, tmp_path: Path
) -> None:
    """One trial of two ran, the other was cancelled with the shoot-out: 50. Deleting the cancelled
    trial read 99, as if it had run; deleting both read 99 too."""
    shootout_id = _shootout(client, tmp_path)
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    [first] = service.children(shootout_id)
    claimed = service.store.claim_next("worker", job_id=first.id)
    assert claimed is not None
    service.store.complete(first.id, claimed.token, {})
    service.parents.advance(shootout_id)
    assert client.post(f"/v1/shootouts/{shootout_id}/cancel").status_code == 200
    assert _progress(client, shootout_id) == ("cancelled", 50, 50)

    second = next(c for c in service.children(shootout_id) if c.id != first.id)
    assert second.status is JobStatus.CANCELLED
    assert client.delete(f"/v1/videos/{second.id}").status_code == 200
    assert _progress(client, shootout_id) == ("cancelled", 50, 50)
    assert client.delete(f"/v1/videos/{first.id}").status_code == 200
    assert _progress(client, shootout_id) == ("cancelled", 50, 50)


def test_a_shootout_cancelled_before_any_trial_ran_stays_at_0_once_its_trial_is_deleted(
    client: TestClient, tmp_path: Path
) -> None:
    """Cancelled before its first trial ran it read 0; its cancelled trial deleted, 50."""
    shootout_id = _shootout(client, tmp_path)
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    assert client.post(f"/v1/shootouts/{shootout_id}/cancel").status_code == 200
    assert _progress(client, shootout_id) == ("cancelled", 0, 0)
    [trial] = service.children(shootout_id)
    assert client.delete(f"/v1/videos/{trial.id}").status_code == 200
    assert _progress(client, shootout_id) == ("cancelled", 0, 0)


def _job(status: JobStatus, metrics: dict[str, int]) -> Job:
    return cast(Job, SimpleNamespace(status=status, terminal=status.terminal, metrics=metrics))


def test_a_cancelled_batch_of_4_with_3_run_reads_75_with_every_item_deleted() -> None:
    assert progress(_job(JobStatus.CANCELLED, {"children": 4, "ended": 3}), []) == 75


def test_a_record_from_before_it_kept_ended_counts_its_deleted_items_as_ended() -> None:
    """Records written before the parent kept how many of its items ended read as they did."""
    assert progress(_job(JobStatus.CANCELLED, {"children": 4}), []) == 99

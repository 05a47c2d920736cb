"""A batch's or shoot-out's request_counts after one of its item jobs was deleted: counted as deleted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService


@pytest.fixture
def client(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return make_client()


def test_deleting_one_trial_of_an_ended_shootout_counts_it_deleted_and_keeps_the_others(
    client: TestClient, tmp_path: Path
) -> None:
    """After DELETE /v1/videos/{id} of its one completed trial the shoot-out read completed 0 and
    nothing else: the trial was gone from its counts without a word, as if it never ran."""
    body = {
        "models": ["ltx-tiny"],
        "prompts": {"prompts": ["a fox", "a cat"]},
        "output_folder": str(tmp_path),
    }
    created = client.post("/v1/shootouts", json=body)
    assert created.status_code == 202, created.text
    shootout_id = created.json()["id"]
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    # Its first trial ran (as a worker ends it), the second was made, then the shoot-out was cancelled.
    [first] = service.children(shootout_id)
    claimed = service.store.claim_next("worker", job_id=first.id)
    assert claimed is not None
    service.store.complete(first.id, claimed.token, {})
    service.parents.advance(shootout_id)
    assert client.post(f"/v1/shootouts/{shootout_id}/cancel").status_code == 200
    before = client.get(f"/v1/shootouts/{shootout_id}").json()["request_counts"]
    assert (before["completed"], before["cancelled"], before["deleted"]) == (1, 1, 0)

    assert client.delete(f"/v1/videos/{first.id}").status_code == 200
    after = client.get(f"/v1/shootouts/{shootout_id}").json()["request_counts"]
    assert after == {
        "total": 2,
        "queued": 0,
        "in_progress": 0,
        "completed": 0,
        "failed": 0,
        "cancelled": 1,
        "deleted": 1,
    }
    listed = client.get("/v1/shootouts").json()["data"][0]["request_counts"]
    assert listed == after

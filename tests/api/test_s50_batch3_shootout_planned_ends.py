"""A running server shoot-out tells, in its object, of the trials that failed as it planned them (they
get no job), with the error its trials will say once it ends, so `reelgen shootout --server` shows them
at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService


@pytest.fixture(autouse=True)
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))


def test_a_running_shootout_names_the_trials_that_failed_to_plan(client: TestClient, tmp_path: Path) -> None:
    # One frame suits Wan (4k+1) but not reelgen-micro (5..129): that trial fails as it is planned.
    prompts = {"prompts": [{"id": "fox", "prompt": "a fox"}], "settings": {"num_frames": 1}}
    body = {
        "models": ["reelgen-micro", "wan-tiny"],
        "prompts": prompts,
        "output_folder": str(tmp_path / "report"),
    }
    resp = client.post("/v1/shootouts", json=body)
    assert resp.status_code == 202, resp.text
    shootout = client.get(f"/v1/shootouts/{resp.json()['id']}").json()
    assert shootout["status"] == "in_progress", shootout
    (end,) = shootout["planned_ends"]
    assert end["output"] == "reelgen-micro--fox" and end["status"] == "failed", end
    assert end["reason"] == "num_frames: 1 frame is outside 5..129 (reelgen-micro)", end
    assert end["code"] == "invalid_request" and end["param"] == "num_frames"

    # Its trials at the end say the same of it.
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    (child,) = service.children(shootout["id"])
    started = service.store.claim_next("worker-test", job_id=child.id)
    assert started is not None
    service.store.fail(child.id, started.token, "generation_failed", "boom")
    service.parents.advance(shootout["id"])
    done = client.get(f"/v1/shootouts/{shootout['id']}").json()
    assert done["status"] == "completed" and done["planned_ends"] == [], done
    trial = {t["key"]: t for t in done["trials"]}["reelgen-micro--fox"]
    assert trial["error"]["message"] == end["reason"]

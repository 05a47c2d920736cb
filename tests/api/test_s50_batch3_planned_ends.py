"""A running server batch tells, in its object, of the items it failed or skipped as it planned them
(they get no item job), each as its summary will say it, before the batch ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService
from tests.jobs.batch_cases import DEFAULTS, ITEMS, make_shots


@pytest.fixture
def shots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return make_shots(tmp_path / "shots")


def test_a_running_batch_names_its_planned_failures_and_skips(client: TestClient, shots: Path) -> None:
    items = [i for i in ITEMS if i["output"] in ("pan", "outside", "blurred")]
    body = {"manifest": {"defaults": DEFAULTS, "items": items}, "input_folder": str(shots)}
    resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 202, resp.text
    batch = client.get(f"/v1/batches/{resp.json()['id']}").json()
    assert batch["status"] == "in_progress"  # its one item job ("pan") has not run
    ends = {p["output"]: p for p in batch["planned_ends"]}
    assert set(ends) == {"outside", "blurred"}
    assert ends["outside"]["status"] == "failed" and ends["outside"]["param"] == "items[1].motion.end"
    assert "outside the 512x512 image" in ends["outside"]["reason"]
    assert ends["blurred"]["status"] == "skipped" and "sharpness" in ends["blurred"]["reason"]

    # The summary at the end says each the same way.
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    (child,) = service.children(batch["id"])
    started = service.store.claim_next("worker-test", job_id=child.id)
    assert started is not None
    service.store.fail(child.id, started.token, "generation_failed", "boom")
    service.parents.advance(batch["id"])
    done = client.get(f"/v1/batches/{batch['id']}").json()
    assert done["status"] == "completed" and done["planned_ends"] == []
    summary = done["summary"]
    said = {p["output"]: p for p in [*summary["failed"], *summary["skipped"]]}
    for key in ("outside", "blurred"):
        for field in ("reason", "code", "param"):
            assert said[key].get(field) == ends[key].get(field), (key, field)

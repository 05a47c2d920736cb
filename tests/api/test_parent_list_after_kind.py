"""``GET /v1/batches?after=`` (and ``/v1/shootouts``) with the id of a video, shoot-out, batch or project job
is a 400 saying what that id is, as ``GET /v1/videos`` says it, not that no such batch exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film

TINY = {"prompt": "a fox", "model": "wan-tiny"}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def _error(client: TestClient, path: str, after: str) -> dict[str, str]:
    resp = client.get(f"/v1/{path}", params={"after": after})
    assert resp.status_code == 400, resp.text
    return dict(resp.json()["error"])


def _said(after: str, what: str, noun: str, path: str) -> str:
    return (
        f"after: {after!r} is {what}, not a {noun} of this list; after takes the id of a {noun} "
        f"GET /v1/{path} listed (its last_id, for the next page), or leave after out for the first page"
    )


def test_a_video_shootout_or_batch_id_is_said_to_be_one(client: TestClient, root: Path) -> None:
    """Each read "after: no batch '<id>' to continue from; ... from a batch that still exists", of a job
    that exists: the person was sent looking for a deleted batch."""
    video = client.post("/v1/videos", json=TINY).json()["id"]
    body = {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(root / "report")}
    shootout = client.post("/v1/shootouts", json=body).json()["id"]
    (root / "shots").mkdir()
    manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"prompt": "a fox", "output": "fox"}]}
    batch = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(root / "shots")})
    assert batch.status_code == 202, batch.text
    batch_id = batch.json()["id"]

    assert _error(client, "batches", video) == {
        "message": _said(video, "a video (GET /v1/videos)", "batch", "batches"),
        "type": "invalid_request_error",
        "param": "after",
        "code": "invalid_value",
    }
    assert _error(client, "shootouts", video)["message"] == _said(
        video, "a video (GET /v1/videos)", "shoot-out", "shootouts"
    )
    assert _error(client, "batches", shootout)["message"] == _said(
        shootout, "a shoot-out (GET /v1/shootouts)", "batch", "batches"
    )
    assert _error(client, "shootouts", batch_id)["message"] == _said(
        batch_id, "a batch (GET /v1/batches)", "shoot-out", "shootouts"
    )
    # Their own ids still page on.
    assert client.get("/v1/batches", params={"after": batch_id}).status_code == 200
    assert client.get("/v1/shootouts", params={"after": shootout}).status_code == 200


def test_a_project_job_id_is_said_to_be_one(client: TestClient, tmp_path: Path) -> None:
    project_id = upload(client, make_film(tmp_path / "film")).json()["id"]
    job = client.post(f"/v1/projects/{project_id}/render", json={})
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    assert _error(client, "batches", job_id)["message"] == _said(
        job_id, "a project's render or export job (GET /v1/projects/{id})", "batch", "batches"
    )

"""A project's 409 "wait for it or cancel it first" names the request that cancels the job."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film


def test_the_busy_refusal_names_the_cancel_request_and_that_request_works(
    client: TestClient, tmp_path: Path
) -> None:
    # It said "cancel it first" naming no way to: a project's job is not cancelled at /v1/videos/{id}/cancel.
    project = upload(client, make_film(tmp_path / "film")).json()["id"]
    job = client.post(f"/v1/projects/{project}/render", json={}).json()["id"]
    busy = client.post(f"/v1/projects/{project}/export", json={})
    assert busy.status_code == 409, busy.text
    cancel = f"/v1/projects/{project}/jobs/{job}/cancel"
    assert busy.json()["error"]["message"] == (
        f"project {project} has job {job} in_progress; wait for it or cancel it first (POST {cancel})"
    )
    assert client.post(cancel).status_code == 200
    assert client.get(f"/v1/projects/{project}/jobs/{job}").json()["status"] == "cancelled"

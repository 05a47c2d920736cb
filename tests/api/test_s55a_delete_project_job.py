"""``DELETE /v1/projects/{id}/jobs/{job}``: a project's render or export job is deleted as a batch is
(it was a 405 "use GET"); its scene jobs go with it, the project and its clips stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs.records import Facts, JobNotFound
from reelgen.jobs.store import ChildRow
from tests.api.openapi_once import openapi_of
from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film


def _render(client: TestClient, tmp_path: Path) -> tuple[str, str]:
    project = upload(client, make_film(tmp_path / "film")).json()["id"]
    job = client.post(f"/v1/projects/{project}/render", json={})
    assert job.status_code == 202, job.text
    return project, job.json()["id"]


def test_a_project_job_is_deleted_with_its_scene_jobs(client: TestClient, tmp_path: Path) -> None:
    project, job = _render(client, tmp_path)
    store = client.app.state.service.store  # type: ignore[attr-defined]
    (scene,) = store.create_children(
        store.get(job), [ChildRow("scene-abc", "scene", {}, Facts(model="reelgen-micro", prompt="p"))]
    )
    url = f"/v1/projects/{project}/jobs/{job}"
    resp = client.delete(url)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"id": job, "object": "project.job.deleted", "deleted": True}
    with pytest.raises(JobNotFound):
        store.get(scene.id)
    gone = client.get(url)
    assert gone.status_code == 404 and gone.json()["error"]["message"] == f"job {job} was deleted"
    assert client.delete(url).status_code == 404
    shown = client.get(f"/v1/projects/{project}")
    assert shown.status_code == 200 and shown.json()["job"] is None  # the project stays
    again = client.post(f"/v1/projects/{project}/render", json={})  # nothing left running in its way
    assert again.status_code == 202, again.text


def test_a_job_of_another_project_is_not_deleted(client: TestClient, tmp_path: Path) -> None:
    project, job = _render(client, tmp_path)
    other = upload(client, make_film(tmp_path / "other")).json()["id"]
    resp = client.delete(f"/v1/projects/{other}/jobs/{job}")
    assert resp.status_code == 404, resp.text
    assert resp.json()["error"]["message"] == f"project {other} has no job {job!r}"
    assert client.get(f"/v1/projects/{project}/jobs/{job}").status_code == 200


def test_the_delete_is_in_the_openapi_schema(client: TestClient) -> None:
    paths = openapi_of(client)["paths"]
    assert "delete" in paths["/v1/projects/{project_id}/jobs/{job_id}"]

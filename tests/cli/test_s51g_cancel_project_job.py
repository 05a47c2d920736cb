"""``reelgen cancel`` of a project's render job cancels it (it was a 404: "a project's render or export
job ... not a video"), and ``/v1/videos/{id}`` names the project URL where such a job is found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.jobs.records import Facts
from reelgen.jobs.store import ChildRow
from tests.api.test_projects_api import upload
from tests.cli.in_process import in_process
from tests.cli.in_process import run as _run
from tests.jobs.projects import make_film


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A quiet server (no workers) that the job commands reach in-process."""
    with in_process(tmp_path, monkeypatch) as client:
        yield client


def _render_job(app: TestClient, tmp_path: Path) -> tuple[str, str]:
    project = upload(app, make_film(tmp_path / "film")).json()["id"]
    job = app.post(f"/v1/projects/{project}/render", json={})
    assert job.status_code == 202, job.text
    return project, job.json()["id"]


def test_cancel_of_a_project_render_job_cancels_it(app: TestClient, tmp_path: Path) -> None:
    project, job = _render_job(app, tmp_path)
    out = _run("cancel", job)
    assert out.exit_code == 0, out.output
    assert out.stdout.split()[:2] == [job, "cancelled"]
    assert f"render of project {project}" in out.stdout
    assert app.get(f"/v1/projects/{project}/jobs/{job}").json()["status"] == "cancelled"
    again = _run("cancel", job)  # as a video's: an ended job is said to be one
    assert again.exit_code == 0, again.output
    assert f"{job} already cancelled; nothing to cancel" in " ".join(again.stderr.split())


def test_the_video_routes_name_the_project_job_url(app: TestClient, tmp_path: Path) -> None:
    project, job = _render_job(app, tmp_path)
    error = app.post(f"/v1/videos/{job}/cancel").json()["error"]
    assert error["message"] == (
        f"no video {job!r}: it is a render job of project {project} "
        f"(GET /v1/projects/{project}/jobs/{job}), not a video"
    )


def test_a_scene_job_of_one_is_told_to_cancel_its_project_job(app: TestClient, tmp_path: Path) -> None:
    project, job = _render_job(app, tmp_path)
    store = app.app.state.service.store  # type: ignore[attr-defined]
    (scene,) = store.create_children(
        store.get(job), [ChildRow("scene-abc", "scene", {}, Facts(model="reelgen-micro", prompt="p"))]
    )
    out = _run("cancel", scene.id)
    assert out.exit_code == 2, out.output
    said = " ".join(out.stderr.split())
    assert (
        f"it is a scene job of project {project}'s job {job} (GET /v1/projects/{project}/jobs/{job}; "
        "cancel that job to stop it)" in said
    )
    assert app.get(f"/v1/projects/{project}/jobs/{job}").json()["status"] != "cancelled"

"""``reelgen status`` of a project's render job said "404 ... it is a render job of project P, not a video"
(exit 2), though ``reelgen cancel`` of the same id cancelled it; now it shows the job's line."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.cli.test_s51g_cancel_project_job import _render_job, _run, app  # noqa: F401 (a fixture)


def test_status_of_a_project_render_job_shows_it(app: TestClient, tmp_path: Path) -> None:  # noqa: F811
    project, job = _render_job(app, tmp_path)
    out = _run("status", job)
    assert out.exit_code == 0, out.output
    shown = app.get(f"/v1/projects/{project}/jobs/{job}").json()["status"]
    assert out.stdout.split()[:2] == [job, shown]
    assert f"render of project {project}" in out.stdout
    gone = _run("delete", job)  # as a batch's id: deleted at its own URL
    assert gone.exit_code == 0 and gone.stdout.split() == [job, "deleted"]

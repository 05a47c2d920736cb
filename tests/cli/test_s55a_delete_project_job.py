"""``reelgen delete`` of a project's render job deletes it at its own URL, as a batch's id is deleted
(it exited 2: "no video ...: it is a render job of project P ..., not a video")."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.cli.test_s51g_cancel_project_job import _render_job, _run, app  # noqa: F401 (a fixture)


def test_delete_of_a_project_job_deletes_it(app: TestClient, tmp_path: Path) -> None:  # noqa: F811
    project, job = _render_job(app, tmp_path)
    out = _run("delete", job)
    assert out.exit_code == 0, out.output
    assert out.stdout.split() == [job, "deleted"]
    assert app.get(f"/v1/projects/{project}/jobs/{job}").status_code == 404
    assert app.get(f"/v1/projects/{project}").status_code == 200  # the project stays
    again = _run("delete", job)  # deleted: said as a deleted video's id is
    assert again.exit_code == 2
    assert f"no video '{job}': it was a project's render or export job" in " ".join(again.stderr.split())

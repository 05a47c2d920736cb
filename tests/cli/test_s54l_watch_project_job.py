"""``reelgen watch`` of a project's render job said "404 ... it is a render job of project P, not a video"
(exit 2), though ``reelgen status`` and ``cancel`` of the same id work; now it follows the job to its end,
and Ctrl-C stops the watching only (exit 130): the job runs on, and the line says how to cancel it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.cli import project_remote
from tests.cli.test_s51g_cancel_project_job import _render_job, _run, app  # noqa: F401 (a fixture)


def test_watch_of_a_project_job_follows_it_to_its_end(app: TestClient, tmp_path: Path) -> None:  # noqa: F811
    project, job = _render_job(app, tmp_path)
    assert app.post(f"/v1/projects/{project}/jobs/{job}/cancel").status_code == 200
    out = _run("watch", job)
    assert out.exit_code == 1, out.output  # as a video's watch: an end other than completed is 1
    said = " ".join(out.output.split())
    assert "cancelled" in said and "not a video" not in said, said


def test_watch_of_a_project_job_that_completes_exits_0(app: TestClient, tmp_path: Path) -> None:  # noqa: F811
    # Title cards only: the project job ends on the server with no worker to render anything.
    cards = "title: t\nscenes:\n  - {id: intro, title_card: {text: Hi}, duration: 1}\n"
    made = app.post("/v1/projects", data={"project": cards})
    assert made.status_code == 201, made.text
    project = made.json()["id"]
    job = app.post(f"/v1/projects/{project}/render", json={}).json()["id"]
    out = _run("watch", job)
    assert out.exit_code == 0, out.output
    assert app.get(f"/v1/projects/{project}/jobs/{job}").json()["status"] == "completed"


def test_ctrl_c_while_watching_a_project_job_leaves_it_running(
    app: TestClient,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project, job = _render_job(app, tmp_path)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(project_remote, "_show", interrupted)  # Ctrl-C at the first event shown
    out = _run("watch", job)
    assert out.exit_code == 130, out.output
    said = " ".join(out.stderr.split())
    assert f"stopped watching; the render job {job} of project {project} keeps running" in said, said
    assert f"reelgen cancel {job} --server http://testserver stops it" in said, said
    assert app.get(f"/v1/projects/{project}/jobs/{job}").json()["status"] in ("queued", "in_progress")

"""``reelgen download`` of a project's render job says where what it made is (it said only "not a video")."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.cli.in_process import SERVER
from tests.cli.test_s51g_cancel_project_job import _render_job, _run, app  # noqa: F401 (a fixture)


def test_download_of_a_project_job_names_the_projects_files(app: TestClient, tmp_path: Path) -> None:  # noqa: F811
    project, job = _render_job(app, tmp_path)
    target = tmp_path / "out.mp4"
    out = _run("download", job, "-o", str(target))
    assert out.exit_code == 2, out.output
    assert " ".join(out.stderr.split()) == (
        f"error: {job} is the render job of project {project}, not a video: the scene clips (and any film) "
        f"it made are the project's (GET {SERVER}/v1/projects/{project} lists its scenes and its exports, "
        "each with its url)"
    )
    assert not target.exists()

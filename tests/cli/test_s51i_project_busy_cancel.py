"""`reelgen project render --server` while the server renders the project offers `reelgen cancel`,
and the command it offers cancels that job."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app, project_remote
from reelgen.cli import client as client_cli
from reelgen.core.project import ProjectFolder
from reelgen.jobs.settings import JobSettings
from tests.jobs.projects import make_film

SERVER = "http://testserver"
runner = CliRunner()


@pytest.fixture
def busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, TestClient, str, str]]:
    """A film whose render the server has begun (no worker takes its scenes), reached by both the
    project commands and the job commands: the folder, the server, the project and job ids."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False), base_url=SERVER) as api:

        class Kept:  # the job commands close their client after each request; this app stays up
            def __enter__(self) -> TestClient:
                return api

            def __exit__(self, *exc: object) -> None:
                pass

        monkeypatch.setattr(client_cli, "_client", lambda *a, **k: Kept())
        monkeypatch.setattr(project_remote.Remote, "http", property(lambda self: api))
        film = make_film(tmp_path / "film")
        remote = project_remote.Remote(SERVER, None, ProjectFolder.find(film))
        project = remote.sync()
        job = remote.call("POST", f"/v1/projects/{project['id']}/render", json={}).json()
        yield film, api, project["id"], job["id"]


def test_a_second_render_offers_reelgen_cancel_and_that_command_cancels_the_job(
    busy: tuple[Path, TestClient, str, str],
) -> None:
    # It offered only "POST http://.../cancel", and its docstring said `reelgen cancel` was told "no video".
    film, api, project_id, job_id = busy
    refused = runner.invoke(app, ["project", "render", str(film), "--server", SERVER, "-q"])
    assert refused.exit_code == 1, refused.output
    said = " ".join(refused.output.split())
    offered = re.search(r"`(reelgen cancel [^`]+)`", said)
    assert offered is not None, said
    assert offered[1] == f"reelgen cancel {job_id} --server {SERVER}"

    cancel = runner.invoke(app, shlex.split(offered[1])[1:], env={"REELGEN_API_KEY": None})
    assert cancel.exit_code == 0, cancel.output
    assert cancel.stdout.split()[:2] == [job_id, "cancelled"]
    assert api.get(f"/v1/projects/{project_id}/jobs/{job_id}").json()["status"] == "cancelled"

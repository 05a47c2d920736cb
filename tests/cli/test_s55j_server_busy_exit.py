"""`reelgen project render|export --server` while the server renders that project: busy, exit 1 (not 2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app, project_remote
from reelgen.core.project import ProjectFolder
from reelgen.jobs.settings import JobSettings
from tests.jobs.projects import make_film

SERVER = "http://testserver"
runner = CliRunner()


@pytest.fixture
def busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str]]:
    """A film whose render the server has begun (no worker takes its scenes): the folder and job id."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as api:
        monkeypatch.setattr(project_remote.Remote, "http", property(lambda self: api))
        film = make_film(tmp_path / "film")
        remote = project_remote.Remote(SERVER, None, ProjectFolder.find(film))
        project = remote.sync()
        job = remote.call("POST", f"/v1/projects/{project['id']}/render", json={}).json()
        yield film, job["id"]


@pytest.mark.parametrize("command", [["render"], ["export"]])
def test_a_busy_server_exits_1_as_a_busy_local_scene_does(busy: tuple[Path, str], command: list[str]) -> None:
    film, job_id = busy
    result = runner.invoke(app, ["project", *command, str(film), "--server", SERVER, "-q"])
    # A local render refused by another render of the scene exits 1 (SceneBusy): nothing is wrong
    # with the request, it only came while the work was going on.
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"error: {SERVER} is rendering this project (job {job_id}, in progress) now;"
    )
    assert "wait for it to end" in result.output

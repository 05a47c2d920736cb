"""`reelgen project ... --server`: while the server still renders the project, and to an -o it cannot write."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app, project_remote
from reelgen.core import atomic
from reelgen.core.project import ProjectFolder
from reelgen.jobs.settings import JobSettings
from tests.jobs.projects import make_film

SERVER = "http://testserver"
runner = CliRunner()


@pytest.fixture
def busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str, str]]:
    """A film whose render the server has begun (no worker takes its scenes): the folder, project and job ids."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as api:
        monkeypatch.setattr(project_remote.Remote, "http", property(lambda self: api))
        film = make_film(tmp_path / "film")
        remote = project_remote.Remote(SERVER, None, ProjectFolder.find(film))
        project = remote.sync()
        job = remote.call("POST", f"/v1/projects/{project['id']}/render", json={}).json()
        yield film, project["id"], job["id"]


def test_a_second_render_names_the_job_and_how_to_stop_it(busy: tuple[Path, str, str]) -> None:
    film, project_id, job_id = busy
    result = runner.invoke(app, ["project", "render", str(film), "--server", SERVER, "-q"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"error: {SERVER} is rendering this project (job {job_id}, in progress) now;"
    )
    assert f"POST {SERVER}/v1/projects/{project_id}/jobs/{job_id}/cancel" in result.output
    assert "(project_id)" not in result.output


def test_status_shows_the_servers_scenes_while_it_renders(busy: tuple[Path, str, str]) -> None:
    film, _, job_id = busy
    result = runner.invoke(app, ["project", "status", str(film), "--server", SERVER])
    assert result.exit_code == 0, result.output
    assert f"{SERVER} is rendering this project (job {job_id}, in progress)" in result.stderr
    assert [line.split()[1:3] for line in result.stdout.splitlines()] == [
        ["title", "card"],
        ["not", "rendered"],
        ["not", "rendered"],
    ]


def test_an_unwritable_output_names_the_option_as_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    film = make_film(tmp_path / "film")
    out = tmp_path / "away" / "film.mp4"
    out.parent.mkdir()
    real = atomic.new_file_beside

    def refused(path: Path) -> Path:  # "away" as a read-only mount (root ignores chmod)
        if "away" in path.parts:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real(path)

    monkeypatch.setattr(atomic, "new_file_beside", refused)
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as api:
        monkeypatch.setattr(project_remote.Remote, "http", property(lambda self: api))
        args = ["project", "export", str(film), "-q", "-o", str(out), "--server", SERVER]
        result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: --output {out}: cannot write into {out.parent}"), result.output

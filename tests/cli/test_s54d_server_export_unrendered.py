"""`reelgen project export FOLDER --server URL` before the server has rendered the scenes names the
command that renders them there: the server's "render them first (`reelgen project render`, or POST
/v1/projects/{id}/render)" sent the person to render here, in the folder they stood in."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app, project_remote
from reelgen.jobs.settings import JobSettings
from tests.jobs.projects import make_film

SERVER = "http://testserver"
runner = CliRunner()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as api:
        monkeypatch.setattr(project_remote.Remote, "http", property(lambda self: api))
        yield


def test_export_through_a_server_before_its_render_names_the_render_there(
    tmp_path: Path, server: None
) -> None:
    film = make_film(tmp_path / "my film")
    result = runner.invoke(
        app, ["project", "export", str(film), "--server", SERVER, "-q"], env={"REELGEN_API_KEY": None}
    )
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert said.startswith("error: HTTP 400: scenes not rendered as they now read (never rendered: ")
    assert f"render them first (`reelgen project render {shlex.quote(str(film))} --server {SERVER}`)" in said
    assert "POST /v1" not in said
    assert not (film / "exports").exists() or not any((film / "exports").iterdir())

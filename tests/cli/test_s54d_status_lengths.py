"""`reelgen project status` shows each scene's length as written (0.25 s read "0.2s", 0.375 s "0.4s"),
and with --server keeps its windows column in line past a long model name, as it does here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app, project_remote
from reelgen.jobs.settings import JobSettings

SERVER = "http://testserver"
runner = CliRunner()

PROJECT = (
    "title: Lengths\nscenes:\n"
    "  - {id: t, title_card: {text: Hi}, duration: 0.25}\n"
    "  - {id: a, prompt: a boat, duration: 0.375}\n"
    "  - {id: b, prompt: a ship, duration: 8.0, model: skyreels-v2-df-14b-720p}\n"
    "  - {id: c, prompt: a car, duration: 2.0}\n"
)
LINES = [
    "t  title card     0.25s  -",
    "a  not rendered  0.375s  reelgen-micro",
    "b  not rendered    8.0s  skyreels-v2-df-14b-720p windows 0/2",
    "c  not rendered    2.0s  reelgen-micro",
]


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as api:
        monkeypatch.setattr(project_remote.Remote, "http", property(lambda self: api))
        yield


def test_status_shows_each_length_as_written(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT, encoding="utf-8")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == LINES


def test_status_through_a_server_reads_as_status_here(tmp_path: Path, server: None) -> None:
    film = tmp_path / "film"
    film.mkdir()
    (film / "project.yaml").write_text(PROJECT, encoding="utf-8")
    result = runner.invoke(
        app, ["project", "status", str(film), "--server", SERVER], env={"REELGEN_API_KEY": None}
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == LINES

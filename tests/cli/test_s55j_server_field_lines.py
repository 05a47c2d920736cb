"""`reelgen project render --server` with a mistake in project.yaml: the error ends with its line, as a local run's does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app, project_remote
from reelgen.jobs.settings import JobSettings
from tests.jobs.projects import edit, make_film

SERVER = "http://testserver"
runner = CliRunner()


@pytest.fixture
def film(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The small film, with `--server` answered in-process by a server that renders nothing."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as api:
        monkeypatch.setattr(project_remote.Remote, "http", property(lambda self: api))
        yield make_film(tmp_path / "film")


def line_of(folder: Path, text: str) -> int:
    return next(
        i for i, line in enumerate((folder / "project.yaml").read_text().splitlines(), 1) if text in line
    )


def render(folder: Path, *server: str) -> Any:
    return runner.invoke(app, ["project", "render", str(folder), *server, "-q"])


def test_a_field_the_server_refuses_names_its_line(film: Path) -> None:
    edit(film, lambda d: d["scenes"][2].update(start_image=str(film / "assets" / "quay.png")))
    result = render(film, "--server", SERVER)
    # It ended "(scenes[2].start_image)" with no line, where a local run's field errors end with one.
    assert result.exit_code == 2, result.output
    assert (
        "scenes[2].start_image" in result.output
        and "relative path inside the project folder" in result.output
    )
    assert result.output.rstrip().endswith(f"(project.yaml line {line_of(film, 'start_image:')})"), (
        result.output
    )


def test_a_field_read_here_before_sending_names_its_line_as_a_local_render_does(film: Path) -> None:
    edit(film, lambda d: d["scenes"][2].update(prompt=""))
    local = render(film)
    result = render(film, "--server", SERVER)
    assert result.exit_code == local.exit_code == 2, result.output
    assert "(project.yaml line " in local.output  # the local words, which --server now says the same
    # The server refuses it (a local render checks prompts only as it plans): it ended "(scenes[2].prompt)".
    assert result.output == local.output.replace("error: ", "error: HTTP 400: ", 1), result.output

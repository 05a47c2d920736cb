"""A film exported through a server comes home under the name an in-process export gives it: a title of no
letters (``!!!``) is named after the local project folder (``bang_e84c53.mp4``), where it landed as
``exports/proj-<the server's id>_e84c53.mp4``, a name the person never saw and another on each server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.jobs.projects import live_api

runner = CliRunner()

PROJECT = 'title: "!!!"\nscenes:\n  - title_card: {text: hi}\n    duration: 0.5\nexport: {width: 64}\n'


@pytest.fixture(scope="module")
def server(reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_api(tmp_path_factory.mktemp("film-name-server") / "server", reelgen_home) as url:
        yield url


def _bang(tmp_path: Path) -> Path:
    folder = tmp_path / "bang"
    folder.mkdir()
    (folder / "project.yaml").write_text(PROJECT)
    return folder


def _printed(*args: str) -> str:
    result = runner.invoke(app, ["project", *args, "-q"])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[-1]


def test_export_through_a_server_names_the_film_as_here(server: str, tmp_path: Path) -> None:
    folder = _bang(tmp_path)
    here = Path(_printed("export", str(folder)))
    assert here.parent == folder / "exports" and here.name.startswith("bang_"), here
    here.unlink()
    there = Path(_printed("export", str(folder), "--server", server))
    assert there == here and there.is_file() and there.with_suffix(".json").is_file()
    assert sorted(p.name for p in (folder / "exports").iterdir()) == [
        here.with_suffix(".json").name,
        here.name,
    ]


def test_render_export_through_a_server_names_the_film_as_here(server: str, tmp_path: Path) -> None:
    folder = _bang(tmp_path)
    there = Path(_printed("render", str(folder), "--server", server, "--export"))
    assert there.parent == folder / "exports" and there.name.startswith("bang_"), there
    assert there.is_file()
    assert [p.name for p in (folder / "exports").glob("*.mp4")] == [there.name]

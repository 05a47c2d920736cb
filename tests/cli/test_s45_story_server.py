"""`reelgen project render --server` when project.yaml is edited here while the server renders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.cli import app, project_remote
from tests.jobs.projects import edit, live_api, make_film

runner = CliRunner()

ONE = {
    "title": "Quick",
    "defaults": {"model": "wan-tiny", "width": 48, "height": 32, "fps": 8, "seed": 3},
    "scenes": [
        {"id": "boats", "prompt": "small boats rocking at night", "duration": 0.25},
        {"id": "quay", "title_card": {"text": "Quay"}, "duration": 0.5},
    ],
}


@pytest.fixture(scope="module")
def server(reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_api(tmp_path_factory.mktemp("story-server") / "server", reelgen_home) as url:
        yield url


def test_a_scene_edited_here_while_the_server_renders_it_is_said_not_printed_as_rendered(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    film = make_film(tmp_path / "film", ONE)
    real = project_remote.Remote.follow

    def follow(self: Any, *args: Any) -> dict[str, Any]:
        # As a person would mid-render: boats gets a new prompt.
        edit(film, lambda d: d["scenes"][0].update(prompt="boats at dawn"))
        return real(self, *args)

    monkeypatch.setattr(project_remote.Remote, "follow", follow)
    result = runner.invoke(app, ["project", "render", str(film), "--server", server, "-q"])
    # Before: "rendered boats: clips/KEY.mp4" under the new prompt's key, a file that did not exist
    # (and a traceback where the scene was removed).
    assert result.exit_code == 0, result.output
    assert "rendered" not in result.stdout
    assert "changed while rendering: boats now reads differently than the server rendered it" in (
        " ".join(result.output.split())
    )
    status = runner.invoke(app, ["project", "status", str(film)])
    assert status.stdout.split()[:3] == ["boats", "not", "rendered"]


def test_a_storyboard_of_title_cards_only_says_so_through_a_server(server: str, tmp_path: Path) -> None:
    cards = {"title": "Cards", "scenes": [{"id": "opening", "title_card": {"text": "Hi"}, "duration": 1.0}]}
    film = make_film(tmp_path / "film", cards)
    result = runner.invoke(app, ["project", "render", str(film), "--server", server, "-q"])
    assert result.exit_code == 0, result.output
    # Was "every scene's clip is current", of a project with no clip.
    assert "nothing to render: every scene is a title card, drawn at export" in result.output


def test_a_storyboard_left_broken_here_while_the_server_renders_names_what_stays_there(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    film = make_film(tmp_path / "film", ONE)
    real = project_remote.Remote.follow

    def follow(self: Any, *args: Any) -> dict[str, Any]:
        (film / "project.yaml").write_text("title: x\nscenes:\n  - prompt: [")
        return real(self, *args)

    monkeypatch.setattr(project_remote.Remote, "follow", follow)
    result = runner.invoke(app, ["project", "render", str(film), "--server", server, "-q"])
    assert result.exit_code == 2, result.output
    words = " ".join(result.output.split())
    # Was the YAML error alone, as if nothing had been rendered.
    assert "error: project.yaml changed while rendering and no longer checks out: " in words
    assert "; the server's clips of boats stay there: mend it and render again" in words

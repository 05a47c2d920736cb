"""`reelgen project new|status|render` given folder names no file system takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["new", "status", "render"])
def test_a_folder_name_over_255_bytes_is_told_its_length_not_an_internal_error(
    command: str, tmp_path: Path
) -> None:
    name = tmp_path / ("é" * 150)  # 300 bytes
    result = runner.invoke(app, ["project", command, str(name)])
    assert result.exit_code == 2, result.output
    words = " ".join(result.output.split())
    assert "is 300 bytes long, and a folder or file name may have at most 255; give a shorter one" in words
    assert "internal error" not in words


def test_a_project_of_title_cards_only_says_so_when_asked_to_render(tmp_path: Path) -> None:
    film = tmp_path / "film"
    film.mkdir()
    (film / "project.yaml").write_text(
        "title: Cards\nscenes:\n  - id: opening\n    title_card: {text: Hello}\n    duration: 1\n"
    )
    # Before: "every scene's clip is current" of a project with no clip, and "scenes to render: " with
    # nothing after it.
    result = runner.invoke(app, ["project", "render", str(film)])
    assert result.exit_code == 0, result.output
    assert "nothing to render: every scene is a title card, drawn at export" in result.output
    unknown = runner.invoke(app, ["project", "render", str(film), "--scene", "closing"])
    assert unknown.exit_code == 2, unknown.output
    assert "scenes to render: none (every scene is a title card)" in " ".join(unknown.output.split())


def test_a_folder_with_a_project_yml_is_told_of_it(tmp_path: Path) -> None:
    # Was "no project at .../project.yaml; make one with `reelgen project new NAME`", beside the one written.
    (tmp_path / "project.yml").write_text("title: x\nscenes:\n  - {prompt: p, duration: 1}\n")
    result = runner.invoke(app, ["project", "status", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "project.yml is there: name it project.yaml, or give its path" in " ".join(result.output.split())

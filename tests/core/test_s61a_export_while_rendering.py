"""An export refused because a scene is not rendered yet says when that scene is being rendered now, by
which process: it told the person to run ``reelgen project render``, which the running render then
refused ("is being rendered by another ..."), and never said to wait for the render already under way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, export_project, plan_project
from reelgen.core.project.lock import scenes_held

PROJECT = """title: Busy
defaults: {model: wan-tiny, width: 48, height: 32, fps: 8}
scenes:
  - {id: dawn, prompt: a fox at dawn, duration: 1}
  - {id: dusk, prompt: a fox at dusk, duration: 1}
"""


def _folder(tmp_path: Path) -> ProjectFolder:
    (tmp_path / "project.yaml").write_text(PROJECT)
    return ProjectFolder.find(tmp_path)


def test_an_export_names_the_render_running_now(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    plans = [p.render for p in plan_project(folder) if p.render is not None]
    with scenes_held(folder.root, plans), pytest.raises(InvalidRequest) as refused:
        export_project(folder, render_with="reelgen project render busy")
    said = str(refused.value)
    assert said.startswith(
        "scenes not rendered as they now read (never rendered: dawn, dusk); dawn, dusk are being "
        f"rendered now by another `reelgen project render` (process {os.getpid()} on "
    ), said
    assert said.endswith("): wait for it to end, then export again"), said
    assert not list(folder.exports.glob("*")) if folder.exports.is_dir() else True


def test_one_scene_being_rendered_is_named_alone(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    dusk = [p.render for p in plan_project(folder) if p.render is not None and p.scene_id == "dusk"]
    with scenes_held(folder.root, dusk), pytest.raises(InvalidRequest) as refused:
        export_project(folder, render_with="reelgen project render busy")
    said = str(refused.value)
    assert "; dusk is being rendered now by another `reelgen project render` (process " in said, said
    assert said.startswith("scenes not rendered as they now read (never rendered: dawn, dusk); render them")


def test_no_render_running_says_to_render(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with pytest.raises(InvalidRequest) as refused:
        export_project(folder, render_with="reelgen project render busy")
    assert str(refused.value) == (
        "scenes not rendered as they now read (never rendered: dawn, dusk); "
        "render them first (`reelgen project render busy`)"
    )

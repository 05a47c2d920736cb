"""A scene with keyframes, longer than its model's usual window, is told the windows.frames that holds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, plan_project


def _project(tmp_path: Path, windows: str) -> ProjectFolder:
    Image.new("RGB", (64, 64), (200, 30, 30)).save(tmp_path / "key.png")
    (tmp_path / "project.yaml").write_text(
        "title: T\ndefaults: {model: ltx-tiny}\nscenes:\n"
        f"  - {{id: walk, prompt: a walk, duration: 1, keyframes: [{{image: key.png, frame: 3}}]{windows}}}\n"
    )
    return ProjectFolder.find(tmp_path)


def test_the_error_names_the_window_that_makes_the_scene_one_clip(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as err:
        plan_project(_project(tmp_path, ""))
    said = err.value.message
    # Was "... shorten it or split it into scenes": ltx-tiny makes 24 frames in one clip of 25.
    assert "keyframes need the scene in one window (9 frames, 0.38s for ltx-tiny)" in said
    assert "set windows.frames: 25 (one clip of the whole scene)" in said
    assert err.value.param == "scenes[0].keyframes"


def test_the_window_it_names_is_taken(tmp_path: Path) -> None:
    [planned] = plan_project(_project(tmp_path, ", windows: {frames: 25}"))
    assert planned.render is not None


def test_an_end_image_on_extend_windows_is_told_the_window_that_holds_the_scene(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64), (30, 30, 200)).save(tmp_path / "end.png")
    (tmp_path / "project.yaml").write_text(
        "title: T\ndefaults: {model: ltx-tiny}\nscenes:\n  - {prompt: a walk, duration: 1, end_image: end.png}\n"
    )
    with pytest.raises(InvalidRequest) as err:
        plan_project(ProjectFolder.find(tmp_path))
    said = err.value.message
    # Was "... fit the scene in one window (0.38s) ...": as if only shortening it would do.
    assert "cannot pin the last frame of an extend" in said
    assert "set windows.frames: 25 (one clip of the whole scene)" in said

"""docs/storyboards.md walked as written: a long scene on a model that cannot continue, a model never pulled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from reelgen.core.errors import InvalidRequest, ReelgenError
from reelgen.core.project import ProjectFolder, plan_project, render_project


def make(folder: Path, scenes: list[dict[str, Any]]) -> ProjectFolder:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"title": "Guide", "defaults": {"width": 48, "height": 32, "seed": 3}, "scenes": scenes}
    (folder / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return ProjectFolder.find(folder)


def test_a_scene_one_longer_clip_holds_is_told_to_raise_windows_frames(tmp_path: Path) -> None:
    # mochi-tiny's window is 7 frames but one clip may be up to 163: 1 s at 30 fps needs windows.frames.
    folder = make(
        tmp_path / "f", [{"id": "walk", "prompt": "a walk", "model": "mochi-tiny", "duration": 1.0}]
    )
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert "is 30 frames, longer than one mochi-tiny window (7 frames)" in err.value.message
    assert "set windows.frames: 31 (one clip of the whole scene)" in err.value.message
    assert err.value.param == "scenes[0].model"

    # Doing what it says plans the scene as one window.
    data = yaml.safe_load(folder.file.read_text())
    data["scenes"][0]["windows"] = {"frames": 31}
    folder.file.write_text(yaml.safe_dump(data))
    (planned,) = plan_project(folder)
    assert planned.render is not None and len(planned.render.windows) == 1


def test_a_scene_past_the_longest_clip_is_told_that_length(tmp_path: Path) -> None:
    folder = make(
        tmp_path / "f", [{"id": "walk", "prompt": "a walk", "model": "mochi-tiny", "duration": 10.0}]
    )
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert "shorten the scene (one mochi-tiny clip is at most 163 frames)" in err.value.message
    assert "windows.frames:" not in err.value.message
    assert "reelgen-micro" in err.value.message  # a model that can continue is named


def test_a_later_scene_without_weights_stops_the_render_before_the_first(tmp_path: Path) -> None:
    folder = make(
        tmp_path / "f",
        [
            {"id": "first", "prompt": "a red circle", "model": "wan-tiny", "duration": 0.5},
            {"id": "second", "prompt": "a blue circle", "model": "wan-1.3b", "duration": 0.5},
        ],
    )
    with pytest.raises(ReelgenError) as err:
        render_project(folder)
    assert err.value.message.startswith("scene 'second' (scenes[1]): model 'wan-1.3b'")
    assert "reelgen pull wan-1.3b" in err.value.message
    assert "nothing was rendered" in err.value.message
    assert not list(folder.clips.glob("*.mp4")) if folder.clips.exists() else True
    assert folder.rendered_keys() == {}  # the first scene, fine on its own, was not rendered either


def test_a_misspelt_default_model_is_named_under_defaults(tmp_path: Path) -> None:
    folder = make(tmp_path / "f", [{"id": "a", "prompt": "a fox", "duration": 0.5}])
    data = yaml.safe_load(folder.file.read_text())
    data["defaults"]["model"] = "reelgen-mikro"
    folder.file.write_text(yaml.safe_dump(data))
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.message.startswith(
        "defaults.model: unknown model 'reelgen-mikro'; did you mean reelgen-micro"
    )
    assert err.value.param == "defaults.model"


def test_a_misspelt_default_model_no_scene_uses_is_left_alone(tmp_path: Path) -> None:
    folder = make(tmp_path / "f", [{"id": "a", "prompt": "a fox", "model": "wan-tiny", "duration": 0.5}])
    data = yaml.safe_load(folder.file.read_text())
    data["defaults"]["model"] = "reelgen-mikro"
    folder.file.write_text(yaml.safe_dump(data))
    (planned,) = plan_project(folder)
    assert planned.render is not None and planned.render.first.model == "wan-tiny"


def test_a_misspelt_transition_type_gets_the_one_it_meant(tmp_path: Path) -> None:
    scene = {
        "id": "a",
        "prompt": "a fox",
        "duration": 1.0,
        "transition": {"type": "disolve", "duration": 0.5},
    }
    folder = make(tmp_path / "f", [scene, {"id": "b", "prompt": "a cat", "duration": 1.0}])
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.message.startswith(
        "scene 'a' (scenes[0]): transition.type: 'disolve' is not a choice; write one of cut,"
    )
    assert err.value.message.endswith("; did you mean dissolve?")
    assert err.value.param == "scenes[0].transition.type"

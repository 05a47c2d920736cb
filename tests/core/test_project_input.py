"""Project files as people get them wrong: misspelt fields, impossible lengths, files that are not images,
and a storyboard (or its pictures) edited while it renders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest
from reelgen.core.project import SceneStatus, plan_project, render_project, status
from reelgen.core.project import render as project_render
from tests.core.test_project import THREE, edit, make, picture

MISTAKES = [
    (
        {"id": "a", "prompt": "a red circle", "duraton": 1.0},
        "scenes[0].duraton",
        "scene 'a' (scenes[0]): duraton is not a known field; did you mean duration?",
    ),
    (
        {"id": "a", "prompt": "a red circle", "duration": 1.0, "width": 64},
        "scenes[0].width",
        "scene 'a' (scenes[0]): width is not a known field; a scene takes no width of its own: "
        "set it for every scene as defaults.width",
    ),
    (
        {"id": "a", "prompt": "a red circle", "duration": 1.0, "transition": {"kind": "fade"}},
        "scenes[0].transition.kind",
        "scene 'a' (scenes[0]): transition.kind is not a known field; known: type, duration",
    ),
    (
        {"id": "a", "prompt": "a red circle", "duration": 0.05},
        "scenes[0].duration",
        "scene 'a' (scenes[0]): duration 0.05s is shorter than one frame at 8 fps (wan-tiny); "
        "give at least 0.125s",
    ),
]


@pytest.fixture(scope="module")
def cache() -> ModelCache:
    """One model cache for the renders here (wan-tiny and wan-i2v-tiny): each render's own cache loaded
    its model again and freed it with a full garbage collection of this process. Let go, not freed, at the
    end, as a render's own cache was before it ran ``free``."""
    return ModelCache(max_models=2)


@pytest.mark.parametrize(("scene", "param", "message"), MISTAKES, ids=[m[1] for m in MISTAKES])
def test_a_mistake_in_a_scene_says_what_to_write_instead(
    scene: dict[str, Any], param: str, message: str, tmp_path: Path
) -> None:
    folder = make(tmp_path / "film", [scene, THREE[2]])
    edit(folder, lambda d: d["defaults"].update(fps=8))
    with pytest.raises(InvalidRequest) as err:
        render_project(folder)
    assert (err.value.param, err.value.message) == (param, message)
    assert not folder.clips.exists()


def test_an_unknown_top_level_field_lists_the_known_ones(tmp_path: Path) -> None:
    folder = make(tmp_path / "film", THREE, color="red")
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.message == (
        "color is not a known field; known: title, defaults, reference_images, scenes, soundtrack, export"
    )


@pytest.mark.parametrize("field", ["start_image", "end_image"])
def test_a_file_that_is_not_an_image_is_refused_before_any_scene_renders(field: str, tmp_path: Path) -> None:
    folder = make(tmp_path / "film", THREE)
    picture(folder.root / "sun.png")
    (folder.root / "song.png").write_bytes(b"RIFF....WAVEfmt not a picture")
    images = {"start_image": "sun.png", "end_image": "sun.png", field: "song.png"}
    edit(folder, lambda d: d["scenes"][2].update({"model": "wan-i2v-tiny", **images}))
    with pytest.raises(InvalidRequest, match="song.png is not a readable image") as err:
        render_project(folder)
    assert err.value.param == f"scenes[2].{field}"
    assert err.value.message.startswith(f"scene 'c' (scenes[2]): {field}: ")
    assert not folder.clips.exists()  # scenes a and b were not rendered first


def _editing_while_rendering(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    """Run ``change`` as a person would mid-render: after the project is planned, before the scene is made."""
    real = project_render.render_scene

    def render_scene(*args: Any, **kwargs: Any) -> Any:
        change()
        return real(*args, **kwargs)

    monkeypatch.setattr(project_render, "render_scene", render_scene)


def test_a_scene_edited_while_it_renders_is_reported_and_left_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: ModelCache
) -> None:
    folder = make(tmp_path / "film", [THREE[0], THREE[2]])
    _editing_while_rendering(
        monkeypatch, lambda: edit(folder, lambda d: d["scenes"][0].update(prompt="a purple square"))
    )
    result = render_project(folder, scenes=["a"], cache=cache)
    assert [r.scene_id for r in result.rendered] == ["a"]
    assert result.edited == ["a"]
    assert [s.status for s in status(folder)] == [SceneStatus.STALE, SceneStatus.MISSING]


def test_a_storyboard_left_broken_mid_render_is_named_when_the_render_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: ModelCache
) -> None:
    folder = make(tmp_path / "film", THREE[:1])
    _editing_while_rendering(monkeypatch, lambda: folder.file.write_text("title: x\nscenes:\n  - prompt: ["))
    with pytest.raises(
        InvalidRequest, match=r"^project.yaml changed while rendering and no longer checks out: "
    ):
        render_project(folder, cache=cache)


def test_a_start_image_replaced_while_its_scene_renders_keeps_no_clip_under_the_old_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: ModelCache
) -> None:
    scene = {
        "id": "sun",
        "prompt": "the sun",
        "duration": 1.0,
        "model": "wan-i2v-tiny",
        "start_image": "s.png",
    }
    folder = make(tmp_path / "film", [scene])
    picture(folder.root / "s.png")
    planned = plan_project(folder)[0].render
    assert planned is not None
    _editing_while_rendering(monkeypatch, lambda: picture(folder.root / "s.png", shift=80))
    result = render_project(folder, cache=cache)
    assert result.rendered == [] and result.edited == ["sun"]
    # Kept, the clip would read as current again once the old picture was put back, whichever it showed.
    assert not folder.clip(planned.key).exists()
    assert [s.status for s in status(folder)] == [SceneStatus.MISSING]


def test_a_field_written_twice_in_a_scene_is_refused_not_the_last_one_taken(tmp_path: Path) -> None:
    """YAML readers keep the last of two ``prompt:`` lines and say nothing: the scene rendered the other."""
    folder = make(tmp_path / "film", THREE[:1])
    text = folder.file.read_text()
    folder.file.write_text(
        text.replace("  prompt: a red circle\n", "  prompt: a red circle\n  prompt: a fox\n")
    )
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    line = text.splitlines().index("  prompt: a red circle") + 2
    assert err.value.message == (
        f"project.yaml line {line}, column 3: 'prompt' is given twice (first on line {line - 1}); keep one"
    )
    assert not folder.clips.exists()


def test_a_project_with_no_scenes_says_what_a_scene_is(tmp_path: Path) -> None:
    folder = make(tmp_path / "film", [])
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert (err.value.param, err.value.message) == (
        "scenes",
        "scenes: the project has none; give at least one (a prompt to render, or a title_card)",
    )


def test_an_id_that_clashes_with_a_scene_named_by_its_place_says_so(tmp_path: Path) -> None:
    """The second scene has no id, so it is scene-2: the person never wrote the id that clashes."""
    unnamed = {k: v for k, v in THREE[1].items() if k != "id"}
    folder = make(tmp_path / "film", [THREE[0], unnamed, {**THREE[2], "id": "scene-2"}])
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert (err.value.param, err.value.message) == (
        "scenes[2].id",
        "scene 'scene-2' (scenes[2]): id 'scene-2' is already used by scenes[1]; ids must differ "
        "(a scene without an id is scene-N by its place: give both ids)",
    )

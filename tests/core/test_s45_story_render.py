"""Storyboard renders as a person edits between them: scene ids, clips two scenes share, --scene."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, SceneStatus, plan_project, render_project, status
from reelgen.core.project import folder as project_folder
from reelgen.core.project import render as project_render
from reelgen.core.project.render import SceneRender
from tests.core.test_project import edit, make, picture


def _fake_render(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """render_scene that writes a stand-in clip and record at once; returns the scene ids it made."""
    made: list[str] = []

    def render_scene(plan: Any, work: Path, output: Path, **_: Any) -> SceneRender:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(b"clip")
        output.with_suffix(".json").write_text("{}")
        made.append(plan.scene_id)
        return SceneRender(plan.scene_id, output, [0], [])

    monkeypatch.setattr(project_render, "render_scene", render_scene)
    return made


@pytest.mark.parametrize(
    ("scene_id", "fault"),
    [
        # "a\n" passed the id rule ($ matches before a final newline): status printed the id over two
        # lines and `render --scene a` found no such scene.
        ("a\n", "'\\n' cannot be in one; use lower-case letters, digits, - and _ (e.g. opening-shot)"),
        # These two were told only to use letters, digits, - and _, which they did.
        ("a" * 65, "it is 65 characters long, and an id has at most 64"),
        ("-a", "it starts with '-'; an id starts with a letter or a digit"),
    ],
)
def test_a_scene_id_is_told_which_rule_it_breaks(scene_id: str, fault: str, tmp_path: Path) -> None:
    folder = make(tmp_path / "film", [{"id": scene_id, "prompt": "a red circle", "duration": 1.0}])
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.message == f"scene {scene_id!r} (scenes[0]): id: {scene_id!r} is not a scene id: {fault}"


def test_rendering_one_edited_scene_keeps_the_clip_another_scene_shares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _fake_render(monkeypatch)
    same = {"prompt": "a red circle", "duration": 1.0}
    folder = make(
        tmp_path / "film",
        [{"id": "a", **same}, {"id": "b", **same}],
        defaults={"model": "wan-tiny", "width": 48, "height": 32, "seed": 3, "seed_policy": "fixed"},
    )
    render_project(folder)
    assert made == ["a"]  # b reads alike: the same key, the same clip
    edit(folder, lambda d: d["scenes"][0].update(prompt="a blue square"))
    render_project(folder, scenes=["a"])
    assert made == ["a", "a"]
    assert [s.status for s in status(folder)] == [SceneStatus.RENDERED, SceneStatus.RENDERED]


def test_a_second_storyboard_in_a_project_folder_is_refused_before_it_deletes_the_first_s_clips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_render(monkeypatch)
    first = make(tmp_path / "film", [{"id": "a", "prompt": "a red circle", "duration": 1.0}])
    render_project(first)
    other = first.root / "other.yaml"
    other.write_text(first.file.read_text().replace("a red circle", "a blue square"))
    # Before: rendering other.yaml deleted project.yaml's clip of scene a as its own old one.
    with pytest.raises(InvalidRequest) as err:
        render_project(ProjectFolder.find(other))
    assert err.value.message == (
        f"other.yaml: the clips and state.json in {first.root} are those of project.yaml, another "
        "storyboard there, and rendering one would delete the other's clips; give other.yaml a folder "
        "of its own (as its project.yaml)"
    )
    assert [s.status for s in status(first)] == [SceneStatus.RENDERED]


def test_a_storyboard_renamed_in_its_folder_keeps_its_clips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_render(monkeypatch)
    first = make(tmp_path / "film", [{"id": "a", "prompt": "a red circle", "duration": 1.0}])
    render_project(first)
    renamed = first.file.rename(first.root / "film.yaml")
    assert [s.status for s in status(ProjectFolder.find(renamed))] == [SceneStatus.RENDERED]


@pytest.mark.parametrize(
    ("scene", "same"),
    [
        ({"model": "wan-i2v-tiny", "start_image": "start.png"}, True),  # first frame: one shared frame
        ({"model": "wan-vace-tiny", "windows": {"colour_match": False}}, True),  # nothing compared
        ({"model": "wan-vace-tiny"}, False),  # extend, matched: the frames compared change the pixels
    ],
)
def test_windows_overlap_makes_a_scene_stale_only_where_it_is_used(
    scene: dict[str, Any], same: bool, tmp_path: Path
) -> None:
    # Changing an overlap nothing reads re-rendered every window of the scene for the same pixels.
    long = {"id": "walk", "prompt": "a walk", "duration": 3.0, **scene}
    folder = make(tmp_path / "film", [long])
    picture(folder.root / "start.png")
    before = plan_project(folder)[0].render
    edit(folder, lambda d: d["scenes"][0].setdefault("windows", {}).update(overlap=3))
    after = plan_project(folder)[0].render
    assert before is not None and after is not None and len(after.windows) > 1
    assert (before.key == after.key) is same


def test_two_renders_marking_scenes_at_once_keep_both_in_state_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Renders of other scenes may run side by side; each read state.json, added its scene and wrote it
    # back, so the later write dropped the earlier's scene. Here b is marked while a is being written.
    folder = make(tmp_path / "film", [{"id": "a", "prompt": "a red circle", "duration": 1.0}])
    real = project_folder.write_json_atomic
    other = threading.Thread(target=folder.mark_rendered, args=("b", "key-b"))

    def write(path: Path, data: Any) -> None:
        if not other.is_alive() and other.ident is None:
            other.start()
            other.join(timeout=0.2)  # with the lock it waits for a's write; without, it writes first
        real(path, data)

    monkeypatch.setattr(project_folder, "write_json_atomic", write)
    folder.mark_rendered("a", "key-a")
    other.join()
    assert folder.rendered_keys() == {"a": "key-a", "b": "key-b"}


def test_status_counts_a_window_done_only_as_a_resumed_render_takes_it(tmp_path: Path) -> None:
    # A window's video without its record is rendered again on resume, yet status counted it done.
    scene = {
        "id": "walk",
        "prompt": "a walk",
        "duration": 3.0,
        "model": "wan-i2v-tiny",
        "start_image": "s.png",
    }
    folder = make(tmp_path / "film", [scene])
    picture(folder.root / "s.png")
    plan = plan_project(folder)[0].render
    assert plan is not None
    work = folder.work(plan.key)
    work.mkdir(parents=True)
    for name in ("window-000.mp4", "window-000.json", "window-001.mp4"):
        (work / name).write_bytes(b"x")
    [state] = status(folder)
    assert (state.windows_done, state.windows) == (1, 3)


def test_a_project_yaml_linked_from_elsewhere_is_one_project_however_it_is_named(tmp_path: Path) -> None:
    # `render film/project.yaml` resolved the link and kept its clips beside the linked file, so
    # `render film` then found none of them.
    kept = make(tmp_path / "repo", [{"id": "a", "prompt": "a red circle", "duration": 1.0}])
    (tmp_path / "film").mkdir()
    (tmp_path / "film" / "project.yaml").symlink_to(kept.file)
    by_file = ProjectFolder.find(tmp_path / "film" / "project.yaml")
    assert by_file == ProjectFolder.find(tmp_path / "film")
    assert by_file.root == (tmp_path / "film").resolve()


def test_a_storyboard_left_broken_mid_render_names_the_scenes_it_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The render ended in an error about the edit, and the scene it had made went unsaid.
    _fake_render(monkeypatch)
    folder = make(tmp_path / "film", [{"id": "a", "prompt": "a red circle", "duration": 1.0}])
    fake = project_render.render_scene

    def render_scene(*args: Any, **kwargs: Any) -> SceneRender:
        folder.file.write_text("title: x\nscenes:\n  - prompt: [")
        return fake(*args, **kwargs)

    monkeypatch.setattr(project_render, "render_scene", render_scene)
    with pytest.raises(InvalidRequest) as err:
        render_project(folder)
    assert err.value.message.startswith("project.yaml changed while rendering and no longer checks out: ")
    assert err.value.message.endswith(" (rendered as the file read before, and kept: a)")

"""Storyboard renders as a person edits between them: scene ids, clips two scenes share, --scene."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import SceneStatus, plan_project, render_project, status
from reelgen.core.project import render as project_render
from reelgen.core.project.render import SceneRender
from tests.core.test_project import edit, make


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


def test_a_scene_id_with_a_line_break_is_refused(tmp_path: Path) -> None:
    # "a\n" passed the id rule ($ matches before a final newline): status printed the id over two
    # lines and `render --scene a` found no such scene.
    folder = make(tmp_path / "film", [{"id": "a\n", "prompt": "a red circle", "duration": 1.0}])
    with pytest.raises(InvalidRequest, match=r"scene 'a\\n' \(scenes\[0\]\): id: 'a\\n' is not a scene id"):
        plan_project(folder)


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

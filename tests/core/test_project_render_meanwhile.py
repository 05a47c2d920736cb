"""A scene another render finished between this render's look at the clips and its lock is not rendered again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from reelgen.core.project import ProjectFolder, render_project
from reelgen.core.project import render as project_render
from reelgen.core.project.plan import ScenePlan
from tests.jobs.projects import make_film


def test_a_scene_rendered_meanwhile_by_another_render_is_current_not_rendered_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `reelgen project render` started together: the second found the scene stale, waited out
    nothing (the first had ended by its lock) and rendered the same pixels a second time."""
    folder = ProjectFolder.find(make_film(tmp_path / "film"))
    rendered: list[str] = []

    def other_render_ends(todo: Sequence[ScenePlan]) -> None:  # after the stale check, before the lock
        for plan in todo:
            folder.clip(plan.key).parent.mkdir(parents=True, exist_ok=True)
            folder.clip(plan.key).write_bytes(b"the other render's clip")
            folder.mark_rendered(plan.scene_id, plan.key)

    def render_scene(plan: ScenePlan, *args: Any, **kwargs: Any) -> Any:
        rendered.append(plan.scene_id)
        raise AssertionError(f"{plan.scene_id} rendered again")

    monkeypatch.setattr(project_render, "check_weights", other_render_ends)
    monkeypatch.setattr(project_render, "render_scene", render_scene)
    result = render_project(folder, scenes=["boats"])
    assert rendered == []
    assert result.current == ["boats"] and result.rendered == []
    [boats] = [p for p in folder.clips.iterdir() if p.suffix == ".mp4"]
    assert boats.read_bytes() == b"the other render's clip"

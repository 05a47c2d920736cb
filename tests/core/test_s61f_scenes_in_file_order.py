"""An unknown scene's "scenes to render" lists the scenes in the project file's order, as ``project status``
does: they were sorted, so a storyboard's dusk came before its dawn and s10 before s2."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder
from reelgen.core.project.choose import chosen_scenes
from reelgen.core.project.status import plan_project

PROJECT = """title: Day
defaults: {model: wan-tiny, width: 48, height: 32, fps: 8}
scenes:
  - {id: noon, prompt: a fox at noon, duration: 1}
  - {id: dusk, prompt: a fox at dusk, duration: 1}
  - {id: card, title_card: {text: Night}, duration: 1}
  - {id: dawn, prompt: a fox at dawn, duration: 1}
"""


def test_scenes_to_render_are_listed_as_the_file_orders_them(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT)
    planned = plan_project(ProjectFolder.find(tmp_path))
    with pytest.raises(InvalidRequest) as caught:
        chosen_scenes(planned, ["midnight"])
    assert caught.value.message == "no scene 'midnight' in the project; scenes to render: noon, dusk, dawn"
    # The chosen scenes come back in the file's order too, whatever order they were named in.
    assert [p.scene_id for p in chosen_scenes(planned, ["dawn", "noon"])] == ["noon", "dawn"]

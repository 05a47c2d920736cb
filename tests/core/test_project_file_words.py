"""A project file's mistakes are told with what would be right: what scenes look like, a number's range."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project.folder import ProjectFolder


def _load(tmp_path: Path, text: str) -> str:
    (tmp_path / "project.yaml").write_text(text)
    with pytest.raises(InvalidRequest) as refused:
        ProjectFolder(tmp_path, tmp_path / "project.yaml").load()
    return refused.value.message


def test_a_project_without_scenes_is_told_what_a_scene_is(tmp_path: Path) -> None:
    said = _load(tmp_path, "title: x\n")
    assert said.startswith(
        "scenes is required: a list of scenes, each a prompt and a duration or a title_card"
    )


@pytest.mark.parametrize("duration", [".nan", "99999", "0"])
def test_a_duration_past_its_rules_is_told_the_range(tmp_path: Path, duration: str) -> None:
    said = _load(tmp_path, f"title: x\nscenes:\n  - prompt: a fox\n    duration: {duration}\n")
    head = {".nan": "nan is not a finite number", "99999": "99999 is too large", "0": "0 is too small"}
    assert said.startswith(f"scene 'scene-1' (scenes[0]): duration: {head[duration]};")
    assert said.endswith("; it takes a number above 0 and at most 3600")


def test_a_number_bounded_at_one_end_is_told_that_end_as_what_it_takes(tmp_path: Path) -> None:
    """`fade_in: -1` heard only pydantic's "greater than or equal to 0", not that it takes seconds from 0 up."""
    said = _load(
        tmp_path,
        "title: x\nsoundtrack: {file: m.wav, fade_in: -1}\nscenes:\n  - prompt: a fox\n    duration: 2\n",
    )
    assert said.startswith("soundtrack.fade_in: -1 is too small")
    assert said.endswith("; it takes a number of at least 0")

"""A missing title or scene duration in project.yaml is said with what it holds, not only "is required"."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "scenes:\n  - prompt: a fox\n    duration: 2\n",
            "title is required: the film's name, such as title: Night Drive",
        ),
        (
            "title: T\nscenes:\n  - id: dawn\n    prompt: a fox\n",
            "scene 'dawn' (scenes[0]): duration is required: the scene's length in seconds, such as duration: 2.0",
        ),
        (  # a field of another name keeps the short form
            "title: T\nscenes:\n  - id: dawn\n    prompt: a fox\n    duration: 2\n    keyframes: [{image: a.png}]\n",
            "scene 'dawn' (scenes[0]): keyframes[0].frame is required",
        ),
    ],
    ids=["title", "duration", "other"],
)
def test_a_required_field_says_what_it_holds(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "project.yaml").write_text(text)
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path).load()
    assert err.value.message == said

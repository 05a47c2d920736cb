"""A number written with its unit in project.yaml (``duration: 2s``) is told to be written alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder

SCENE = "scenes:\n  - id: dawn\n    prompt: a fox\n    duration: {duration}\n"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "title: T\n" + SCENE.format(duration="2s"),
            "scene 'dawn' (scenes[0]): duration: '2s' is not a number; it takes a number above 0 and at most 3600; write the number alone, without 's': 2",
        ),
        (
            "title: T\n" + SCENE.format(duration="1.5 seconds"),
            "without 'seconds': 1.5",
        ),
        (
            "title: T\n" + SCENE.format(duration="2") + "export:\n  width: 256px\n",
            "export.width: '256px' is not a number; it takes a "
            "whole number from 1 to 8192; write the number alone, without 'px': 256",
        ),
        (
            "title: T\ndefaults:\n  fps: 24 fps\n" + SCENE.format(duration="2"),
            "defaults.fps: '24 fps' is not a number; it takes a "
            "number above 0 and at most 240; write the number alone, without 'fps': 24",
        ),
    ],
    ids=["seconds", "seconds-word", "pixels", "fps"],
)
def test_a_number_with_its_unit_is_told_to_drop_the_unit(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "project.yaml").write_text(text)
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path).load()
    assert said in err.value.message
    assert err.value.message.count("; write the number alone") == 1


def test_a_word_for_a_number_gets_no_unit_hint(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text("title: T\n" + SCENE.format(duration="two"))
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path).load()
    assert err.value.message.endswith("it takes a number above 0 and at most 3600")

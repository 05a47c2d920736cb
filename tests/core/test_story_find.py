"""A folder whose storyboard is under another name: the error points at it, not at making a new one."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder


def test_a_storyboard_renamed_in_its_folder_is_named_when_the_folder_is_given(tmp_path: Path) -> None:
    """`new NAME` was the only advice: a new project.yaml there then took over the renamed one's clips."""
    (tmp_path / "cut.yaml").write_text("title: x\n")
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path)
    assert err.value.message == (
        f"no project at {tmp_path / 'project.yaml'}; cut.yaml is there: name it project.yaml, "
        f"or give its path ({tmp_path / 'cut.yaml'})"
    )
    (tmp_path / "b.yml").write_text("title: y\n")
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path)
    assert err.value.message.endswith(
        f"b.yml, cut.yaml are there: give the path of one (such as {tmp_path / 'b.yml'})"
    )


def test_a_folder_without_a_storyboard_is_told_to_make_one(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path)
    assert err.value.message.endswith("make one with `reelgen project new NAME`")

"""A title card's font that is not there is named by its scene, as the file's other mistakes are."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, plan_project


def test_a_missing_card_font_names_its_scene(tmp_path: Path) -> None:
    """Was "scenes[0].title_card.font: file ... does not exist", unlike every other mistake of a scene."""
    (tmp_path / "project.yaml").write_text(
        "title: T\nscenes:\n  - {id: intro, title_card: {text: Hi, font: fonts/title.ttf}, duration: 1}\n"
    )
    with pytest.raises(InvalidRequest) as err:
        plan_project(ProjectFolder.find(tmp_path))
    assert err.value.message == (
        f"scene 'intro' (scenes[0]): title_card.font: file {tmp_path / 'fonts' / 'title.ttf'} does not exist"
    )
    assert err.value.param == "scenes[0].title_card.font"

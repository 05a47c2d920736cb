"""A title card that cannot be drawn at the film's size is named by its scene, as the file's other mistakes are."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, export_project


def test_a_card_too_long_for_a_small_film_names_its_scene(tmp_path: Path) -> None:
    """Was "scenes[0].title_card.text: ...", unlike every other mistake of a scene."""
    (tmp_path / "project.yaml").write_text(
        "title: x\nscenes:\n  - {id: intro, title_card: {text: Hello, subtitle: world}, duration: 1}\n"
    )
    with pytest.raises(InvalidRequest) as err:
        export_project(ProjectFolder.find(tmp_path), overrides={"width": 2}, given_as="--")
    assert err.value.message == (
        "scene 'intro' (scenes[0]): title_card.text: the text (5 letters) does not fit in a 2x2 frame even at "
        "the smallest size drawn; shorten the text, or export a larger film (a greater width and height)"
    )
    assert err.value.param == "scenes[0].title_card.text"
    assert not (tmp_path / "exports" / "x.mp4").exists()

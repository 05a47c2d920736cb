"""A film's default name, from its title: every Latin letter is kept, accented or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.project import ProjectFolder
from reelgen.core.project.export import export_target
from reelgen.core.project.model import ExportSettings, Project

NAMES = [
    ("Œuvre de Søren, Straße", "oeuvre-de-soren-strasse.mp4"),
    ("Łódź, Þing, Đorđe", "lodz-thing-dorde.mp4"),
    ("Été à Paris", "ete-a-paris.mp4"),
]


@pytest.mark.parametrize(("title", "name"), NAMES, ids=[n[1] for n in NAMES])
def test_a_letter_that_is_not_an_accented_one_stays_in_the_films_name(
    title: str, name: str, tmp_path: Path
) -> None:
    """Œ, ß, Ø, Ł ... have no accent to drop: they were dropped whole (``Œuvre`` made ``uvre.mp4``)."""
    project = Project.model_validate(
        {"title": title, "scenes": [{"title_card": {"text": "x"}, "duration": 1}]}
    )
    folder = ProjectFolder(tmp_path, tmp_path / "project.yaml")
    assert export_target(folder, project, ExportSettings()) == tmp_path / "exports" / name

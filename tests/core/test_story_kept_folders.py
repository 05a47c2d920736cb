"""A file where a project keeps a folder (clips/, windows/, exports/) is named as that, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, export_project, render_project

SCENE = "title: x\nscenes:\n  - {id: a, prompt: a red circle, duration: 1.0}\n"
CARD = "title: x\nscenes:\n  - {id: t, title_card: {text: hi}, duration: 1.0}\n"


def _folder(tmp_path: Path, text: str, file: str) -> ProjectFolder:
    (tmp_path / "project.yaml").write_text(text)
    (tmp_path / file).write_text("mine")
    return ProjectFolder.find(tmp_path)


@pytest.mark.parametrize(
    ("file", "what"), [("clips", "its scenes' clips"), ("windows", "the windows of long scenes")]
)
def test_a_file_named_clips_or_windows_stops_the_render_saying_what_it_is(
    file: str, what: str, tmp_path: Path
) -> None:
    """Was "project .../clips/KEY.mp4: .../clips is a file, not a folder; give a path in a folder"."""
    folder = _folder(tmp_path, SCENE, file)
    with pytest.raises(InvalidRequest) as err:
        render_project(folder)
    assert err.value.message == (
        f"{tmp_path / file} is a file, not a folder: the project keeps {what} in a folder of that name; "
        "move or rename the file"
    )
    assert (tmp_path / file).read_text() == "mine"


def test_a_file_named_exports_stops_the_export_saying_what_it_is(tmp_path: Path) -> None:
    """Was "export.output .../exports/x.mp4: ... give a path in a folder", of a setting never given."""
    folder = _folder(tmp_path, CARD, "exports")
    with pytest.raises(InvalidRequest) as err:
        export_project(folder)
    assert err.value.message == (
        f"{tmp_path / 'exports'} is a file, not a folder: the project keeps its films in a folder of that name; "
        "move or rename the file"
    )
    assert (tmp_path / "exports").read_text() == "mine"

"""A film's default name from a title with no Latin letters, or a name Windows keeps for a device."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.project import ProjectFolder
from reelgen.core.project.export import export_target
from reelgen.core.project.model import ExportSettings, Project


def _name(title: str, root: Path) -> str:
    project = Project.model_validate(
        {"title": title, "scenes": [{"title_card": {"text": "x"}, "duration": 1}]}
    )
    folder = ProjectFolder(root, root / "project.yaml")
    target = export_target(folder, project, ExportSettings())
    assert target.parent == root / "exports"
    return target.name


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("東京の夜", "東京の夜.mp4"),
        ("🎬", "🎬.mp4"),
        ("서울의 밤", "서울의-밤.mp4"),
        ("Привет, мир", "привет-мир.mp4"),
        ("Été à Paris", "ete-a-paris.mp4"),
    ],
)
def test_a_title_in_any_script_keeps_its_letters(title: str, name: str, tmp_path: Path) -> None:
    """Every title without a Latin letter was exported as exports/export.mp4, replacing the last one."""
    assert _name(title, tmp_path / "film") == name


def test_a_title_with_nothing_to_keep_is_named_after_the_folder_and_never_clashes(tmp_path: Path) -> None:
    root = tmp_path / "my-film"
    first, second = _name("!!!", root), _name("???", root)
    assert first.startswith("my-film_") and first.endswith(".mp4")
    assert second.startswith("my-film_") and first != second
    assert first == _name("!!!", root)  # the same title exported again replaces its own film only
    assert first not in {_name("My Film", root), _name("Export", root)}


@pytest.mark.parametrize(
    ("title", "name"), [("Con", "con_.mp4"), ("NUL", "nul_.mp4"), ("aux", "aux_.mp4"), ("COM1", "com1_.mp4")]
)
def test_a_name_windows_keeps_for_a_device_is_not_given(title: str, name: str, tmp_path: Path) -> None:
    """``con.mp4`` cannot be made (or copied) on Windows."""
    assert _name(title, tmp_path) == name
    assert _name("Con Air", tmp_path) == "con-air.mp4"  # only the whole name is a device's


def test_a_long_title_in_a_wide_script_fits_a_file_name(tmp_path: Path) -> None:
    """100 CJK letters are 300 bytes: more than a file name (or its NAME.json record) may have."""
    name = _name("東" * 300, tmp_path)
    assert len(name.encode()) <= 255 - len(".json") and name.startswith("東" * 50)

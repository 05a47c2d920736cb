"""A project folder that cannot take a file reelgen names in it: said of the project, probed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core import atomic
from reelgen.core.errors import InvalidRequest
from reelgen.core.project.folder import new_project


def test_a_file_named_clips_is_named_as_the_folder_reelgen_keeps(tmp_path: Path) -> None:
    folder = new_project(tmp_path / "film")
    folder.clips.rmdir()
    folder.clips.write_text("not a folder")
    # As `project render --server` checks where the server's clips will land.
    with pytest.raises(InvalidRequest) as refused:
        folder.check_writes(folder.clip("clip"), "the clips the server renders")
    # It said "project .../clips/clip.mp4: .../clips is a file, not a folder; give a path in a folder".
    assert refused.value.message == (
        f"project {folder.root}: {folder.clips} is a file, not a folder: reelgen keeps the clips the "
        "server renders in a folder of that name; move or rename the file"
    )
    assert "clip.mp4" not in refused.value.message and "give a path" not in refused.value.message


def test_a_folder_that_takes_files_is_probed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = new_project(tmp_path / "film")
    probes: list[Path] = []
    real = atomic.new_file_beside

    def counted(path: Path) -> Path:
        probes.append(path)
        return real(path)

    monkeypatch.setattr(atomic, "new_file_beside", counted)
    monkeypatch.setattr("reelgen.core.project.folder.new_file_beside", counted, raising=False)
    folder.check_writes(folder.work("key") / "window-000.mp4", "the windows of its scenes")
    # Two probe files were made (and removed) per check: its own, then check_writable's.
    assert len(probes) == 1
    assert sorted(p.name for p in folder.root.iterdir()) == ["assets", "clips", "exports", "project.yaml"]

"""A project's reference_images are looked for even while no scene's model takes them: a misspelt one
was let through, every scene on reelgen-micro, and surfaced only when a scene moved to Wan VACE."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import status
from reelgen.core.project.folder import ProjectFolder

SCENES = "scenes:\n  - id: a\n    prompt: a boat\n    duration: 1\n"


def _status(tmp_path: Path, references: str) -> list[str]:
    (tmp_path / "project.yaml").write_text(
        f"title: T\nreference_images: {references}\n{SCENES}", encoding="utf-8"
    )
    return [s.status.value for s in status(ProjectFolder.find(tmp_path))]


def test_a_missing_reference_image_is_named_though_no_scene_uses_it(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as refused:
        _status(tmp_path, "[face.png]")
    assert refused.value.param == "reference_images[0]"
    assert refused.value.message == f"reference_images[0]: file {tmp_path / 'face.png'} does not exist"


def test_a_blank_reference_image_is_said_to_be_empty(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as refused:
        _status(tmp_path, '[""]')
    assert refused.value.message == "reference_images[0]: an empty name; give an image file, or leave it out"


def test_a_reference_image_that_is_there_is_taken(tmp_path: Path) -> None:
    (tmp_path / "face.png").write_bytes(b"")  # looked for, not opened, while no scene's model takes it
    assert _status(tmp_path, "[face.png]") == ["missing"]

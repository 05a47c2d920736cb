"""A problem with the project's reference_images is named there, not as a field of the scene that takes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, plan_project

SCENE = "scenes:\n  - id: hero\n    prompt: a knight\n    duration: 1\n    model: wan-vace-tiny\n"


def _refused(folder: Path, text: str) -> InvalidRequest:
    (folder / "project.yaml").write_text(text)
    with pytest.raises(InvalidRequest) as err:
        plan_project(ProjectFolder.find(folder))
    return err.value


def test_the_projects_missing_reference_image_is_named_at_the_top(tmp_path: Path) -> None:
    refused = _refused(tmp_path, "title: T\nreference_images: [assets/knight.png]\n" + SCENE)
    assert refused.message == (
        f"reference_images[0] (the project's, given to scene 'hero' (scenes[0])): file "
        f"{tmp_path / 'assets' / 'knight.png'} does not exist"
    )
    assert refused.param == "reference_images[0]"


def test_the_scenes_own_reference_image_stays_the_scenes(tmp_path: Path) -> None:
    refused = _refused(tmp_path, "title: T\n" + SCENE + "    reference_images: [assets/knight.png]\n")
    assert refused.message == (
        f"scene 'hero' (scenes[0]): reference_images[0]: file {tmp_path / 'assets' / 'knight.png'} does not exist"
    )
    assert refused.param == "scenes[0].reference_images[0]"

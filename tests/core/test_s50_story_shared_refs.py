"""A problem with a field a scene takes from elsewhere in the file (defaults.width, the project's
reference_images) is named there, not as a field of the scene, which sets none."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, plan_project

SCENE = "scenes:\n  - id: hero\n    prompt: a knight\n    duration: 1\n    model: wan-vace-tiny\n"
MICRO = "scenes:\n  - id: hero\n    prompt: a knight\n    duration: 1\n"


def _refused(folder: Path, text: str) -> InvalidRequest:
    (folder / "project.yaml").write_text(text)
    with pytest.raises(InvalidRequest) as err:
        plan_project(ProjectFolder.find(folder))
    return err.value


def test_the_projects_missing_reference_image_is_named_at_the_top(tmp_path: Path) -> None:
    refused = _refused(tmp_path, "title: T\nreference_images: [assets/knight.png]\n" + SCENE)
    assert refused.message == (
        f"reference_images[0] (given to scene 'hero' (scenes[0])): file "
        f"{tmp_path / 'assets' / 'knight.png'} does not exist"
    )
    assert refused.param == "reference_images[0]"


def test_the_scenes_own_reference_image_stays_the_scenes(tmp_path: Path) -> None:
    refused = _refused(tmp_path, "title: T\n" + SCENE + "    reference_images: [assets/knight.png]\n")
    assert refused.message == (
        f"scene 'hero' (scenes[0]): reference_images[0]: file {tmp_path / 'assets' / 'knight.png'} does not exist"
    )
    assert refused.param == "scenes[0].reference_images[0]"


def test_a_default_size_the_model_refuses_is_named_under_defaults(tmp_path: Path) -> None:
    refused = _refused(tmp_path, "title: T\ndefaults: {width: 100, height: 64}\n" + MICRO)
    assert refused.message == (
        "defaults.width (given to scene 'hero' (scenes[0])): width 100 is not a multiple of 16 "
        "(reelgen-micro); nearest valid: 96 or 112"
    )
    assert refused.param == "defaults.width"


def test_the_default_enhance_chain_is_named_under_defaults_and_a_scenes_own_under_it(tmp_path: Path) -> None:
    chain = "[{name: lanczos, options: {scale: 9}}]"
    refused = _refused(tmp_path, f"title: T\ndefaults: {{enhance: {chain}}}\n" + MICRO)
    assert refused.message.startswith(
        "defaults.enhance[0].options.scale (given to scene 'hero' (scenes[0])): 9 is too large; it takes"
    )
    assert refused.param == "defaults.enhance[0].options.scale"

    refused = _refused(tmp_path, "title: T\n" + MICRO + f"    enhance: {chain}\n")
    assert refused.message.startswith("scene 'hero' (scenes[0]): enhance[0].options.scale: 9 is too large")
    assert refused.param == "scenes[0].enhance[0].options.scale"

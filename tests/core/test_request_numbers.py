"""A number field takes a number wherever a request is written by hand: true, false or NaN is refused by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelgen.core.batch.manifest import load_manifest
from reelgen.core.errors import InvalidRequest
from reelgen.core.project.folder import ProjectFolder


def test_a_manifest_seed_of_true_is_refused_not_read_as_seed_1(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"defaults": {"seed": True}, "items": [{"output": "a", "num_frames": 9}]}))
    with pytest.raises(InvalidRequest) as err:
        load_manifest(path)
    assert err.value.param == "defaults.seed"
    assert f"manifest {path}: defaults.seed: true is not a number; give a whole number from 0 to" in (
        err.value.message
    )


def test_a_manifest_number_that_is_not_finite_is_said_to_be_so(tmp_path: Path) -> None:
    # A manifest's settings allowed NaN, which then failed its bound: "greater than or equal to 0".
    path = tmp_path / "manifest.json"
    path.write_text('{"items": [{"output": "a", "guidance": NaN}]}')
    with pytest.raises(
        InvalidRequest,
        match=r"items\[0\]\.guidance: nan is not a finite number; it takes a number from 0 to 100",
    ):
        load_manifest(path)


def test_a_project_scene_whose_yaml_says_yes_for_steps_is_refused(tmp_path: Path) -> None:
    # YAML reads `steps: yes` as true; it made a scene of one denoising step.
    (tmp_path / "project.yaml").write_text(
        "title: Film\nscenes:\n  - id: a\n    prompt: waves\n    duration: 1\n    steps: yes\n"
    )
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path).load()
    assert err.value.param == "scenes[0].steps"
    assert "steps: true is not a number; give a whole number from 1 to 1000" in err.value.message

"""A keyframe written from the home folder (``~/shots/a.png``) is found, in a manifest and a prompts file.

The batch joined the manifest's folder first and expanded ``~`` after, which then did nothing:
``items[0].images[0]: ~/a.png does not exist``; a prompts file said ``/its/folder/~/a.png does not exist``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelgen.core.batch import Manifest
from reelgen.core.batch.plan import plan_item
from reelgen.core.shootout import PromptsFile, plan_shootout


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    (home / "shots").mkdir(parents=True)
    Image.new("RGB", (64, 64), (90, 120, 60)).save(home / "shots" / "a.png")
    monkeypatch.setenv("HOME", str(home))
    return home


def test_a_manifest_keyframe_under_home(home: Path, tmp_path: Path) -> None:
    manifest = Manifest.model_validate(
        {
            "defaults": {"model": "ltx-tiny", "prompt": "x"},
            "items": [{"output": "a", "images": ["~/shots/a.png"]}],
        }
    )
    planned = plan_item(manifest, 0, tmp_path / "elsewhere", tmp_path / "out")
    assert planned.error is None, planned.error
    assert planned.images == (str((home / "shots" / "a.png").resolve()),)


def test_a_prompts_file_image_under_home(home: Path, tmp_path: Path) -> None:
    prompts = PromptsFile.model_validate({"prompts": [{"id": "a", "prompt": "x", "image": "~/shots/a.png"}]})
    (trial,) = plan_shootout(["ltx-tiny"], prompts, base_dir=tmp_path / "elsewhere")
    assert trial.error is None, trial.error
    assert trial.image == str((home / "shots" / "a.png").resolve())

"""An export with allow_stale records the key of the clip that went in, not the key the scene now reads as."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np

from reelgen.core.encode import write_video
from reelgen.core.project import ProjectFolder, export_project, plan_project
from reelgen.core.types import Video


def rendered(folder: ProjectFolder) -> str:
    """The one scene's clip written as a render leaves it (clip, record, state); returns its key."""
    [scene] = plan_project(folder, folder.load())
    assert scene.render is not None
    key = scene.render.key
    write_video(Video(np.full((8, 32, 48, 3), 90, np.uint8), Fraction(8), None), folder.clip(key))
    folder.clip(key).with_suffix(".json").write_text(json.dumps({"output": {"frames": 8, "fps": "8"}}))
    folder.mark_rendered(scene.scene_id, key)
    return key


def test_a_stale_scene_is_recorded_under_the_key_of_its_last_clip(tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text(
        "title: t\ndefaults: {model: reelgen-micro, width: 48, height: 32, fps: 8}\n"
        "scenes:\n  - {id: a, prompt: a red circle, duration: 1}\n"
    )
    folder = ProjectFolder.find(tmp_path)
    last = rendered(folder)
    (tmp_path / "project.yaml").write_text(folder.file.read_text().replace("a red circle", "a blue one"))
    result = export_project(folder, tmp_path / "film.mp4", allow_stale=True)
    # The record said "a" was made from the key it now reads as, a clip that was never rendered.
    assert result.record["scene_keys"] == {"a": last}
    assert json.loads(result.sidecar.read_text())["scene_keys"] == {"a": last}

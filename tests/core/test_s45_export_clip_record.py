"""A clip's record that says another length than the clip holds is refused, not laid out as it says."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, export_project, plan_project
from reelgen.core.types import Video


@pytest.mark.parametrize(
    ("output", "said"),
    [
        ({"frames": 100, "fps": "8"}, "says 100 frames, and the clip holds 8"),
        ({"frames": 4, "fps": "8"}, "says 4 frames, and the clip holds 8"),
        ({"frames": 8, "fps": "1"}, "says 1 fps, and the clip runs at 8"),
    ],
)
def test_a_record_saying_another_length_than_the_clip_has_is_refused(
    tmp_path: Path, output: dict[str, object], said: str
) -> None:
    # A record edited to 100 frames made a 9 s film of a 1 s scene, frozen on its last frame; 4 cut it short.
    (tmp_path / "project.yaml").write_text(
        "title: t\ndefaults: {model: reelgen-micro, width: 48, height: 32, fps: 8}\n"
        "scenes:\n  - {id: a, prompt: a red circle, duration: 1}\n"
    )
    folder = ProjectFolder.find(tmp_path)
    [scene] = plan_project(folder, folder.load())
    assert scene.render is not None
    clip = folder.clip(scene.render.key)
    write_video(Video(np.full((8, 32, 48, 3), 90, np.uint8), Fraction(8), None), clip)
    clip.with_suffix(".json").write_text(json.dumps({"output": output}))
    folder.mark_rendered("a", scene.render.key)
    with pytest.raises(InvalidRequest) as refused:
        export_project(folder, tmp_path / "film.mp4")
    assert refused.value.message == (
        f"scene 'a' (scenes[0]): clip record {clip.with_suffix('.json')} {said}; render the scene again "
        "(`reelgen project render FOLDER --force --scene a`)"
    )
    assert not (tmp_path / "film.mp4").exists()

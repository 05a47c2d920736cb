"""A scene's keyframe past its last frame is refused, not rendered into frames the trim then cuts away."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import plan_project
from tests.core.test_project import edit, make, picture


def test_a_keyframe_past_the_scenes_last_frame_is_refused_naming_the_last(tmp_path: Path) -> None:
    # 1 s at 8 fps is frames 0-7; ltx-tiny renders a window of 9 (8k+1) and the film keeps 8 of them.
    scene = {"id": "a", "prompt": "a red circle", "duration": 1.0, "model": "ltx-tiny"}
    folder = make(tmp_path / "film", [scene])
    picture(folder.root / "sun.png")
    edit(folder, lambda d: d["defaults"].update(fps=8, width=64, height=64))
    edit(folder, lambda d: d["scenes"][0].update(keyframes=[{"image": "sun.png", "frame": 8}]))
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.param == "scenes[0].keyframes[0].frame"
    assert err.value.message == (
        "scene 'a' (scenes[0]): keyframes[0].frame 8 is past the scene's last frame (7: 1s at 8 fps); "
        "give one from 0 to 7"
    )
    edit(folder, lambda d: d["scenes"][0]["keyframes"][0].update(frame=7))
    [planned] = plan_project(folder)
    assert planned.render is not None

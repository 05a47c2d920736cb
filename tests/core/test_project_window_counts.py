"""A project's window too short to continue a scene is said as a sentence, with the length that works."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder, plan_project


def test_a_one_frame_window_reads_one_frame_and_names_a_length_that_continues(tmp_path: Path) -> None:
    Image.new("RGB", (48, 32), (90, 120, 150)).save(tmp_path / "start.png")
    scene = {"id": "long", "prompt": "a slow pan", "start_image": "start.png", "duration": 3.0}
    data = {
        "title": "Long",
        "defaults": {"model": "wan-i2v-tiny", "width": 48, "height": 32, "seed": 5},
        "scenes": [{**scene, "windows": {"frames": 1}}],
    }
    (tmp_path / "project.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(InvalidRequest) as caught:
        plan_project(ProjectFolder.find(tmp_path))
    message = caught.value.message
    assert "1 frames" not in message
    assert message.startswith("scene 'long' (scenes[0]): windows.frames: a window of 1 frame cannot continue")
    # wan-i2v-tiny takes 4k+1 frames: 5 is the shortest window that holds a frame after the repeated one.
    assert message.endswith("give windows.frames: 5 or more")
    assert caught.value.param == "scenes[0].windows.frames"

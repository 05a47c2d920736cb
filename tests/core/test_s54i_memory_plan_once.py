"""A project render says its memory plan once, not once per window of a long scene."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml
from PIL import Image

from reelgen.core.cache import ModelCache
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.project import ProjectFolder, render_project


def two_scene_project(folder: Path) -> ProjectFolder:
    """Two 3 s scenes on wan-i2v-tiny: three 9-frame windows each, all with the same memory plan."""
    folder.mkdir(parents=True)
    start = np.full((32, 48, 3), 90, np.uint8)
    Image.fromarray(start).save(folder / "start.png")
    scenes = [
        {"id": f"s{i}", "prompt": f"a slow pan {i}", "start_image": "start.png", "duration": 3.0}
        for i in (1, 2)
    ]
    data = {
        "title": "Two",
        "defaults": {"model": "wan-i2v-tiny", "width": 48, "height": 32, "seed": 5},
        "scenes": scenes,
    }
    (folder / "project.yaml").write_text(yaml.safe_dump(data))
    return ProjectFolder.find(folder)


def test_a_project_render_prints_one_memory_plan_for_six_windows(tmp_path: Path) -> None:
    folder = two_scene_project(tmp_path / "p")
    lines: list[str] = []

    def said(event: ProgressEvent) -> None:
        if event.message:
            lines.append(event.message)

    cache = ModelCache(max_models=1)
    try:
        render_project(folder, progress=Progress(on_event=said), cache=cache)
    finally:
        cache.free()
    windows = [line for line in lines if ": window " in line]
    plans = [line for line in lines if line.startswith("memory plan:")]
    assert len(windows) == 6
    assert len(plans) == 1, plans

"""Ctrl-C after a scene's last frame is made, while its clip is written, stops the render:
``render`` said "cancelling at the next step", then wrote the clip anyway and ended with exit 0, so a
minutes-long upscale could not be stopped. The windows are kept, and the next render makes the clip from
them without rendering any again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgen.core.cache import ModelCache
from reelgen.core.errors import Cancelled
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.project import ProjectFolder, render_project, status

PROJECT = """title: Stop
defaults: {model: wan-tiny, width: 48, height: 32, fps: 8, seed: 2}
scenes:
  - id: only
    prompt: waves
    duration: 1
    enhance: [{name: lanczos, options: {scale: 2}}]
"""


@pytest.fixture(scope="module")
def cache() -> Iterator[ModelCache]:
    models = ModelCache(max_models=1)
    yield models
    models.free()


def test_ctrl_c_after_the_last_frame_writes_no_clip_and_resumes(tmp_path: Path, cache: ModelCache) -> None:
    (tmp_path / "project.yaml").write_text(PROJECT)
    folder = ProjectFolder.find(tmp_path)
    progress = Progress()

    def stop_after_last_frame(event: ProgressEvent) -> None:
        # Ctrl-C as the last frame is upscaled: only the clip's writing is left, which nothing stopped.
        if event.stage == "upscale" and event.step == event.total:
            progress.cancel.cancel("cancelled with Ctrl-C")

    progress.on_event = stop_after_last_frame
    with pytest.raises(Cancelled):
        render_project(folder, progress=progress, cache=cache)
    (state,) = status(folder)
    assert state.status.value == "missing"
    assert not folder.clips.is_dir() or not list(folder.clips.iterdir())  # no clip, no half-written one
    assert [p.name for p in folder.root.glob("windows/*/window-000.mp4")] == ["window-000.mp4"]

    (done,) = render_project(folder, progress=Progress(), cache=cache).rendered
    assert (done.resumed, done.rendered) == ([0], [])
    assert status(folder)[0].status.value == "rendered" and done.clip.is_file()
    assert not (folder.root / "windows").exists()

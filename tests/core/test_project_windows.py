"""Long scenes: overlapping windows that continue each other, resume after a kill, and colour matching."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from PIL import Image

from reelgen.core.cache import ModelCache
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.project import ProjectFolder, colour_chain, plan_project, render_project, status
from reelgen.core.project.windows import split
from reelgen.core.spec.request import Task
from reelgen.core.spec.rules import SizeRules


@pytest.fixture(scope="module")
def cache() -> Iterator[ModelCache]:
    models = ModelCache(max_models=2)
    yield models
    models.free()


def long_project(folder: Path, **windows: Any) -> ProjectFolder:
    """One 3 s scene on wan-i2v-tiny (9-frame windows at 8 fps: three windows, each from the last frame)."""
    folder.mkdir(parents=True)
    ramp = np.linspace(0, 255, 48, dtype=np.uint8)
    start = np.stack(
        [np.tile(ramp, (32, 1)), np.tile(ramp[:32, None], (1, 48)), np.full((32, 48), 90, np.uint8)], -1
    )
    Image.fromarray(start).save(folder / "start.png")
    scene = {"id": "long", "prompt": "a slow pan", "start_image": "start.png", "duration": 3.0}
    if windows:
        scene["windows"] = windows
    data = {
        "title": "Long",
        "defaults": {"model": "wan-i2v-tiny", "width": 48, "height": 32, "seed": 5},
        "scenes": [scene],
    }
    (folder / "project.yaml").write_text(yaml.safe_dump(data))
    return ProjectFolder.find(folder)


def test_a_long_scene_is_cut_into_windows_that_continue_each_other(tmp_path: Path) -> None:
    folder = long_project(tmp_path / "p", prompts=["dawn", "noon"])
    plan = plan_project(folder)[0].render
    assert plan is not None and plan.continuation is Task.I2V
    # 24 frames: 9, then 8 new after each repeated start frame, the last window only as long as needed.
    assert [(w.frames, w.keep_from) for w in plan.windows] == [(9, 0), (9, 1), (9, 1)]
    assert [w.prompt for w in plan.windows] == ["dawn", "noon", "a slow pan"]
    assert len({w.seed for w in plan.windows}) == 3


def test_more_window_prompts_than_windows_are_refused(tmp_path: Path) -> None:
    folder = long_project(tmp_path / "p", prompts=["dawn", "noon", "dusk", "night"])
    with pytest.raises(
        InvalidRequest, match="windows.prompts has 4 prompts but the scene is 3 windows"
    ) as err:
        plan_project(folder)
    assert err.value.param == "scenes[0].windows.prompts"


def test_a_window_length_the_model_refuses_is_said_in_the_project_files_words(tmp_path: Path) -> None:
    """It read "windows.frames: num_frames: 3 frames is not 4k+1": num_frames is the request's field,
    which the project file has nowhere."""
    folder = long_project(tmp_path / "p", frames=3)
    with pytest.raises(InvalidRequest) as err:
        plan_project(folder)
    assert err.value.message == (
        "scene 'long' (scenes[0]): windows.frames: 3 frames is not 4k+1 (Wan); nearest valid: 1 or 5"
    )
    assert err.value.param == "scenes[0].windows.frames"


@pytest.mark.parametrize("continuation", [Task.I2V, Task.EXTEND])
def test_a_scene_many_windows_long_uses_full_windows_on_a_model_with_a_longest_clip(
    continuation: Task,
) -> None:
    """400 frames in 121-frame windows of a model that makes at most 129: full windows, then the rest."""
    rules = SizeRules(label="LTX", frame_step=8, frame_offset=1, max_frames=129)
    windows = split(400, 121, rules, continuation, [], "a long pan", 0)
    frames = [w.frames for w in windows]
    assert frames[:-1] == [121] * (len(frames) - 1)
    assert sum(w.frames - w.keep_from for w in windows) >= 400
    assert len(windows) == 4


def test_a_long_scene_killed_after_its_second_window_resumes_at_the_third(
    tmp_path: Path, cache: ModelCache
) -> None:
    folder = long_project(tmp_path / "killed")
    progress = Progress()

    def kill_after_second(event: ProgressEvent) -> None:
        if event.stage == "window" and event.step == 2 and not event.message:
            progress.cancel.cancel("killed by the test")

    progress.on_event = kill_after_second
    with pytest.raises(Cancelled):
        render_project(folder, progress=progress, cache=cache)
    (state,) = status(folder)
    assert (state.status.value, state.windows_done, state.windows) == ("missing", 2, 3)
    left = {
        p.name: json.loads(p.read_text())["created_at"]
        for p in folder.root.glob("windows/*/window-00[0-2].json")
    }
    assert sorted(left) == ["window-000.json", "window-001.json"]

    events: list[ProgressEvent] = []
    (done,) = render_project(folder, progress=Progress(on_event=events.append), cache=cache).rendered
    assert (done.resumed, done.rendered) == ([0, 1], [2])
    assert [e.message for e in events if e.stage == "window" and e.message] == [
        "scene 'long' (scenes[0]): window 3/3"
    ]
    record = json.loads(done.clip.with_suffix(".json").read_text())
    # The clip is made of the two windows the killed run left (not made again) and a third that
    # starts from the second's last frame.
    made = [w["record"]["created_at"] for w in record["windows"]]
    assert made[:2] == [left["window-000.json"], left["window-001.json"]]
    third = record["windows"][2]["record"]["request"]
    assert third["start_image"].endswith("window-002-start.png") and third["task"] == "i2v"
    assert probe(done.clip)["frames"] == 24
    assert not (folder.root / "windows").exists()  # windows are kept only until the clip is made
    assert status(folder)[0].status.value == "rendered"


def test_an_ltx_scene_continues_by_extending_and_holds_exactly_its_length(
    tmp_path: Path, cache: ModelCache
) -> None:
    (tmp_path / "ltx").mkdir()
    data = {
        "title": "Extend",
        "defaults": {"model": "ltx-tiny", "width": 32, "height": 32, "seed": 2},
        "scenes": [{"id": "sea", "prompt": "waves", "duration": 1.0}],  # 24 frames at 24 fps; windows of 9
    }
    (tmp_path / "ltx" / "project.yaml").write_text(yaml.safe_dump(data))
    folder = ProjectFolder.find(tmp_path / "ltx")
    plan = plan_project(folder)[0].render
    assert plan is not None and plan.continuation is Task.EXTEND
    assert [(w.frames, w.keep_from) for w in plan.windows] == [(9, 0), (9, 0), (9, 0)]
    clip = render_project(folder, cache=cache).rendered[0].clip
    assert probe(clip)["frames"] == 24
    record = json.loads(clip.with_suffix(".json").read_text())
    tasks = [w["record"]["request"]["task"] for w in record["windows"]]
    assert tasks == ["t2v", "extend", "extend"]
    assert record["windows"][1]["record"]["inputs"]["source_video"]["path"].endswith("window-001-source.mp4")


def test_colour_matching_is_part_of_a_long_scene_key_only(tmp_path: Path) -> None:
    folder = long_project(tmp_path / "p")
    key = plan_project(folder)[0].render.key  # type: ignore[union-attr]
    data = yaml.safe_load(folder.file.read_text())
    data["scenes"][0]["windows"] = {"colour_match": False}
    folder.file.write_text(yaml.safe_dump(data))
    assert plan_project(folder)[0].render.key != key  # type: ignore[union-attr]
    data["scenes"][0]["duration"] = 1.0  # one window: nothing to match, the setting changes no pixel
    folder.file.write_text(yaml.safe_dump(data))
    one = plan_project(folder)[0].render.key  # type: ignore[union-attr]
    data["scenes"][0]["windows"] = {"colour_match": True}
    folder.file.write_text(yaml.safe_dump(data))
    assert plan_project(folder)[0].render.key == one  # type: ignore[union-attr]


def _boundary_jump(frames: np.ndarray, boundaries: list[int]) -> float:
    """Mean colour change across the frames where windows meet (what a viewer sees as a flicker)."""
    means = frames.reshape(len(frames), -1, 3).mean(1)
    return float(np.mean([np.abs(means[b] - means[b - 1]).sum() for b in boundaries]))


def test_colour_matching_lowers_the_colour_jump_where_windows_meet() -> None:
    # A smooth clip (a gradient drifting right), cut into first-frame windows of 9 frames ...
    x = np.linspace(0, 1, 64)[None, :, None]
    frames = np.stack([np.clip(np.sin(3 * x + t / 40) * 0.4 + 0.5, 0, 1).repeat(48, 0) for t in range(33)])
    clip = (np.concatenate([frames, frames[..., ::-1], frames * 0.7], -1) * 255).astype(np.uint8)
    windows = [clip[8 * k : 8 * k + 9].copy() for k in range(4)]
    # ... with drift planted: each window a little warmer and darker than the one before.
    for k, window in enumerate(windows):
        drifted = window.astype(float) * [1 + 0.06 * k, 1.0, 1 - 0.06 * k] + [10 * k, -6 * k, 0]
        windows[k] = np.clip(drifted, 0, 255).astype(np.uint8)
    matched, records = colour_chain(windows, [1, 1, 1])

    def joined(ws: list[np.ndarray]) -> np.ndarray:
        return np.concatenate([ws[0], *(w[1:] for w in ws[1:])])

    boundaries = [9, 17, 25]
    before, after = _boundary_jump(joined(windows), boundaries), _boundary_jump(joined(matched), boundaries)
    natural = _boundary_jump(joined([clip[8 * k : 8 * k + 9] for k in range(4)]), boundaries)
    assert after < before * 0.2, (before, after)
    assert after < natural + 1.0  # back to how smoothly the clip moved before the drift
    assert len(records) == 3


def test_a_long_vace_scene_continues_by_extending(tmp_path: Path) -> None:
    folder = long_project(tmp_path / "p")
    data = yaml.safe_load(folder.file.read_text())
    data["defaults"]["model"] = "wan-vace-tiny"
    folder.file.write_text(yaml.safe_dump(data))
    plan = plan_project(folder)[0].render
    assert plan is not None and plan.continuation is Task.EXTEND
    assert [(w.frames, w.keep_from) for w in plan.windows] == [(9, 0), (9, 0), (9, 0)]
    data["scenes"][0]["windows"] = {"continuation": "first_frame"}
    folder.file.write_text(yaml.safe_dump(data))
    assert plan_project(folder)[0].render.continuation is Task.I2V  # type: ignore[union-attr]


def test_a_scene_plan_moves_to_a_worker_with_its_inputs_and_keeps_its_key(tmp_path: Path) -> None:
    folder = long_project(tmp_path / "p")
    data = yaml.safe_load(folder.file.read_text())
    data["scenes"][0]["end_image"] = "start.png"
    folder.file.write_text(yaml.safe_dump(data))
    plan = plan_project(folder)[0].render
    assert plan is not None
    assert [param for param, _ in plan.input_files()] == ["start_image", "end_image"]
    copies = {param: str(tmp_path / f"copy-{param}.png") for param, _ in plan.input_files()}
    for param, path in plan.input_files():
        Path(copies[param]).write_bytes(Path(path).read_bytes())
    moved = plan.with_input_files(copies)
    assert dict(moved.input_files()) == copies
    assert moved.end_image == copies["end_image"] and moved.key == plan.key
    assert moved.window_request(2, Path(copies["start_image"])).end_image == copies["end_image"]

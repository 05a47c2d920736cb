"""SkyReels-V2 on its tiny models: every task end to end, long videos in windows, extending a clip, rules."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core.backends.skyreels import SPEC
from reelgen.core.backends.skyreels.runner import SkyReelsRunner
from reelgen.core.cache import ModelCache
from reelgen.core.devices import device_info
from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.memory import plan_memory
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.types import Video
from reelgen.core.weights import locate
from tests.core.helpers import loaded, progress_bars, resolved, run

# Not the preset's 64x64 / 24 fps, so the output proves the request was followed.
SMALL = {"model": "skyreels-tiny", "width": 48, "height": 32, "num_frames": 17, "fps": 16.0, "seed": 5}
_SIZE = {k: v for k, v in SMALL.items() if k != "model"}


@pytest.fixture(scope="module")
def cache() -> ModelCache:
    # Let go at the module's end, not freed: free() runs a full gc.collect, which in a full run's test
    # process walks all that the earlier files left (about 2 CPU-s; 0.25 s with this file alone). The
    # tiny weights weigh under 1 MB, and what reference counting leaves the next automatic gc takes.
    return ModelCache(max_models=2)


def _gradient(shift: int, flip: bool = False) -> np.ndarray:
    ramp = np.linspace(0, 255, 72, dtype=np.uint8)
    image = np.stack(
        [np.tile(ramp, (48, 1)), np.tile(ramp[:48, None], (1, 72)), np.full((48, 72), 70, np.uint8)], -1
    )
    return np.roll(image[::-1] if flip else image, shift, axis=1)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Images, and three 13-frame clips: ``same_tail`` differs from ``source`` only before its last 5 frames."""
    folder = tmp_path_factory.mktemp("skyreels-inputs")
    Image.fromarray(_gradient(0)).save(folder / "start.png")
    Image.fromarray(_gradient(0, flip=True)).save(folder / "end.png")
    source = np.stack([_gradient(4 * i) for i in range(13)])
    same_tail = source.copy()
    same_tail[:8] = 255 - same_tail[:8]
    other_tail = source.copy()
    other_tail[8:] = np.stack([_gradient(6 * i, flip=True) for i in range(5)])
    for name, clip in (("source", source), ("same_tail", same_tail), ("other_tail", other_tail)):
        write_video(Video(clip, Fraction(8)), folder / f"{name}.mp4", crf=0)
    return {p.stem: str(p) for p in folder.iterdir()}


def _request(**fields: Any) -> ResolvedRequest:
    return resolved(**{**SMALL, "prompt": "a kite over the sea", **fields})


@pytest.mark.parametrize(
    ("model", "task"),
    [
        ("skyreels-tiny", Task.T2V),
        ("skyreels-tiny", Task.I2V),
        ("skyreels-tiny", Task.EXTEND),
        ("skyreels-i2v-tiny", Task.I2V),
    ],
)
def test_each_task_makes_the_asked_clip(
    model: str, task: Task, inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    fields: dict[str, Any] = {"model": model, "task": task}
    if task is Task.I2V:
        fields["start_image"] = inputs["start"]
    if task is Task.EXTEND:
        fields["source_video"] = inputs["source"]
    result = render(_request(**fields), tmp_path / "out.mp4", cache=cache)

    info = probe(result.path)
    assert (info["frames"], info["width"], info["height"]) == (17, 48, 32)
    assert info["fps"] == pytest.approx(16.0)
    assert result.video.frames.std() > 0


@pytest.mark.parametrize(
    ("fields", "calls"),
    [
        ({"num_frames": 33}, 3 * 2),  # three windows of 17 frames overlapping by 5, 2 steps each
        ({"num_frames": 33, "options": {"ar_step": 2}}, 18),  # each latent frame lags the one before by 2
        ({"start_image": "start", "end_image": "end"}, 2),
        # 21 new frames after the clip's last 5: two windows (the first opens on those 5).
        ({"task": "extend", "source_video": "source", "num_frames": 21}, 2 * 2),
    ],
)
def test_long_videos_render_in_windows_and_progress_ends_at_its_total(
    fields: dict[str, Any], calls: int, inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    for key in ("start_image", "end_image", "source_video"):
        if key in fields:
            fields = {**fields, key: inputs[fields[key]]}
    events: list[ProgressEvent] = []
    progress = Progress(events.append, preview_every=1)
    result = render(_request(**fields), tmp_path / "long.mp4", cache=cache, progress=progress)

    assert probe(result.path)["frames"] == fields.get("num_frames", 17)
    denoise = [e for e in events if e.stage == "denoise"]
    assert [e.step for e in denoise] == list(range(calls + 1))
    assert all(e.total == calls for e in denoise)
    assert denoise[-1].preview is not None


def test_extend_returns_only_new_frames_that_continue_the_clip(
    inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    def extend(source: str, seed: int = 5, num_frames: int = 17) -> Video:
        request = _request(task="extend", source_video=inputs[source], seed=seed, num_frames=num_frames)
        return render(request, tmp_path / f"{source}-{seed}-{num_frames}.mp4", cache=cache).video

    base = extend("source")
    assert base.num_frames == 17  # exactly the frames asked for, all after the source's last frame
    assert extend("source", num_frames=5).num_frames == 5  # even fewer than the reused tail
    # Only the clip's last frames feed the continuation: an earlier difference changes nothing.
    assert np.array_equal(base.frames, extend("same_tail").frames)
    # No frame repeats (re-renders) the source's tail: another seed changes every one of them.
    reseeded = extend("source", seed=6)
    assert all(not np.array_equal(a, b) for a, b in zip(base.frames, reseeded.frames, strict=True))
    # A clip ending differently continues differently.
    assert not np.array_equal(base.frames, extend("other_tail").frames)


def test_plain_text_to_video_checkpoints_run_one_window() -> None:
    _, tiny = registry.resolve("skyreels-tiny")
    source = locate(SPEC, tiny)  # the plain pipeline loads the same parts a DF folder has
    runner = SkyReelsRunner(SPEC, replace(tiny, name="skyreels-t2v-check", variant="t2v"))
    runner.load(source, plan_memory({}, 0.0, device_info("cpu")))

    video = runner.generate(_request(), Progress())

    assert type(runner.pipe).__name__ == "SkyReelsV2Pipeline"
    assert (video.num_frames, video.width, video.height) == (17, 48, 32)


def test_flow_shift_applies_to_one_window_models_too(inputs: dict[str, str]) -> None:
    fields = {**_SIZE, "start_image": inputs["start"]}
    runner = loaded("skyreels-i2v-tiny", **fields)
    plain = run(runner, **fields)
    shifted = run(runner, **fields, options={"flow_shift": 2.0})
    assert not np.array_equal(plain, shifted)
    assert np.array_equal(plain, run(runner, **fields))  # the shift does not linger


def test_generate_draws_no_diffusers_progress_bar(
    inputs: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    fields = {**_SIZE, "task": "extend", "source_video": inputs["source"], "num_frames": 21}
    runner = loaded("skyreels-tiny", **fields)
    capfd.readouterr()  # loading may print; generating must not
    frames = run(runner, **fields)  # two windows in the video-to-video pipeline, built on first use
    assert frames.shape == (21, 32, 48, 3)
    assert progress_bars(capfd.readouterr().err) == []


@pytest.mark.parametrize(
    ("fields", "param", "hint"),
    [
        ({"width": 50}, "width", "48 or 64"),
        ({"num_frames": 18}, "num_frames", "17 or 21"),
        ({"options": {"overlap_history": 6}}, "options.overlap_history", "5 or 9"),
        ({"options": {"overlap_history": 17}}, "options.overlap_history", "below options.base_num_frames"),
        ({"options": {"causal_block_size": 2}}, "options.causal_block_size", "does not divide"),
        (
            {"task": "extend", "source_video": "source", "end_image": "end"},
            "end_image",
            "works from the source clip",
        ),
        ({"end_image": "end"}, "end_image", "image-to-video run; give a start image too (start_image)"),
        ({"start_image": "start", "num_frames": 33}, "num_frames", "29 or 41"),
        ({"start_image": "start", "end_image": "end", "num_frames": 29}, "end_image", "one window"),
        (
            {"model": "skyreels-i2v-tiny", "start_image": "start", "end_image": "end"},
            "end_image",
            "diffusion-forcing",
        ),
        (
            {"model": "skyreels-i2v-tiny", "start_image": "start", "options": {"ar_step": 5}},
            "options.ar_step",
            "only",
        ),
    ],
)
def test_wrong_requests_say_what_would_work(
    fields: dict[str, Any], param: str, hint: str, inputs: dict[str, str]
) -> None:
    for key in ("start_image", "end_image", "source_video"):
        if key in fields:
            fields = {**fields, key: inputs[fields[key]]}
    with pytest.raises(InvalidRequest) as caught:
        _request(**fields)
    assert caught.value.param == param
    assert hint in caught.value.message

"""HunyuanVideo 1.5: tiny runs, per-step progress and cancel through the scheduler hook, i2v size buckets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core.backends.hunyuan15.buckets import buckets, closest_bucket
from reelgen.core.backends.stephook import report_steps
from reelgen.core.cache import ModelCache
from reelgen.core.devices import device_info
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.core.weights import locate
from tests.core.helpers import loaded, resolved, run

#: What a tqdm bar leaves on stderr: "50%|█████     | 1/2 [00:01<00:01, 1.2s/it]".
TQDM = re.compile(r"\d+%\|.*\| *\d+/\d+")


def _image(path: Path) -> str:
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(path)
    return str(path)


def _loaded_pipe(request: ResolvedRequest, cache: ModelCache) -> Any:
    """The pipeline ``cache`` holds for ``request`` (the one render just used)."""
    spec, preset = registry.resolve(request.model)
    plan = spec.plan(preset, request, device_info("cpu"), None)
    runner, cached = cache.acquire(spec, preset, locate(spec, preset), plan)
    assert cached
    return runner.pipe  # type: ignore[attr-defined]


@pytest.mark.parametrize(("model", "task"), [("hunyuan15-tiny", Task.T2V), ("hunyuan15-i2v-tiny", Task.I2V)])
def test_tiny_model_renders_the_requested_size_frames_and_fps(model: str, task: Task, tmp_path: Path) -> None:
    # The tiny i2v model's buckets (about 64x64 px of area) include 80x48.
    width, height = (80, 48) if task is Task.I2V else (48, 32)
    start = _image(tmp_path / "start.png") if task is Task.I2V else None
    request = resolved(
        model=model,
        prompt='a sign that says "hi"',
        start_image=start,
        width=width,
        height=height,
        num_frames=5,
        fps=12,
        seed=2,
    )
    result = render(request, tmp_path / "out.mp4")
    info = probe(result.path)
    assert (info["width"], info["height"], info["frames"], info["fps"]) == (width, height, 5, 12.0)
    assert result.video.frames.std() > 0


def test_guidance_and_flow_shift_reach_the_guider_and_scheduler() -> None:
    runner = loaded("hunyuan15-tiny")
    fields: dict[str, Any] = dict(prompt="a cat", width=32, height=32, num_frames=5, seed=3)
    plain = run(runner, **fields)
    assert not np.array_equal(plain, run(runner, **fields, guidance=1.5))
    assert not np.array_equal(plain, run(runner, **fields, options={"flow_shift": 2.0}))
    assert np.array_equal(plain, run(runner, **fields))


@pytest.mark.parametrize("model", ["hunyuan15-tiny", "hunyuan15-i2v-tiny"])
def test_no_diffusers_progress_bar_is_printed_during_generate(
    model: str, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fields: dict[str, Any] = dict(prompt="a cat", num_frames=5, seed=1)
    if model == "hunyuan15-i2v-tiny":
        fields.update(start_image=_image(tmp_path / "s.png"), width=80, height=48)
    runner = loaded(model, **fields)
    capfd.readouterr()
    run(runner, **fields)
    assert not TQDM.search(capfd.readouterr().err)


def test_each_step_reports_once_with_a_preview_and_the_scheduler_is_restored(tmp_path: Path) -> None:
    cache = ModelCache()
    events: list[ProgressEvent] = []
    request = resolved(model="hunyuan15-tiny", prompt="a cat", num_frames=5, steps=3, seed=1)
    render(
        request, tmp_path / "a.mp4", progress=Progress(on_event=events.append, preview_every=1), cache=cache
    )
    denoise = [e for e in events if e.stage == "denoise"]
    assert [(e.step, e.total) for e in denoise] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert all(e.preview is not None and e.preview.dtype == np.uint8 for e in denoise[1:])
    scheduler = _loaded_pipe(request, cache).scheduler
    assert "step" not in vars(scheduler)  # the class's own step again


def test_cancel_after_the_first_step_raises_writes_nothing_and_restores_the_scheduler(tmp_path: Path) -> None:
    cache = ModelCache()
    progress = Progress()
    steps: list[int] = []

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise":
            steps.append(event.step)
            if event.step == 1:
                progress.cancel.cancel()

    progress.on_event = on_event
    request = resolved(model="hunyuan15-tiny", prompt="a cat", num_frames=5, steps=4, seed=1)
    with pytest.raises(Cancelled):
        render(request, tmp_path / "c.mp4", progress=progress, cache=cache)
    assert steps == [0, 1]
    assert list(tmp_path.iterdir()) == []
    assert "step" not in vars(_loaded_pipe(request, cache).scheduler)


def test_step_hook_restores_an_instance_step_too_even_when_the_run_fails() -> None:
    from diffusers import FlowMatchEulerDiscreteScheduler

    scheduler: Any = FlowMatchEulerDiscreteScheduler()
    own = scheduler.step
    scheduler.step = own  # a step already set on the instance (e.g. by another wrapper)
    with pytest.raises(RuntimeError, match="boom"), report_steps(scheduler, Progress().stage("denoise", 2)):
        assert scheduler.step is not own
        raise RuntimeError("boom")
    assert vars(scheduler)["step"] is own


def test_loras_and_last_frames_are_refused_with_the_field(tmp_path: Path) -> None:
    lora = tmp_path / "style.safetensors"
    lora.write_bytes(b"")
    with pytest.raises(InvalidRequest, match="does not take LoRAs") as err:
        resolved(model="hunyuan15-tiny", loras=[{"path": str(lora)}])
    assert err.value.param == "loras"
    start = _image(tmp_path / "s.png")
    with pytest.raises(InvalidRequest, match="cannot pin a last frame") as err:
        resolved(model="hunyuan15-i2v-tiny", start_image=start, end_image=start, width=80, height=48)
    assert err.value.param == "end_image"


def test_image_to_video_sizes_are_its_aspect_buckets(tmp_path: Path) -> None:
    start = _image(tmp_path / "s.png")
    ok = resolved(model="hunyuan15-480p-i2v", start_image=start)
    assert (ok.width, ok.height) == (848, 480)
    with pytest.raises(InvalidRequest, match=r"size 640x480 .* nearest valid: 720x544 or 720x560"):
        resolved(model="hunyuan15-480p-i2v", start_image=start, width=640, height=480)
    near = resolved(model="hunyuan15-480p-i2v", start_image=start, width=720, height=544)
    assert (near.width, near.height) == (720, 544)
    with pytest.raises(
        InvalidRequest, match=r"width 850 is not a multiple of 16 .*nearest valid: 848 or 864"
    ):
        resolved(model="hunyuan15-720p", width=850)


def test_buckets_match_the_pipeline_resize_rule() -> None:
    from diffusers.pipelines.hunyuan_video1_5.image_processor import (
        HunyuanVideo15ImageProcessor,
        generate_crop_size_list,
    )

    processor = HunyuanVideo15ImageProcessor(vae_scale_factor=16)
    for target in (640, 960, 64):
        assert list(buckets(target)) == generate_crop_size_list(target, 16)
        for width in range(96, 1500, 53):
            for height in (width // 2, width * 9 // 16, width, width * 4 // 3):
                h, w = processor.calculate_default_height_width(height, width, target)
                assert closest_bucket(width, height, target) == (w, h)

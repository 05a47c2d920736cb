"""HunyuanVideo 1.5: tiny runs, per-step progress and cancel through the scheduler hook, i2v size buckets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from reelgen.core.validate import resolve_request

from reelgen.core import weights
from reelgen.core.backends.hunyuan15 import buckets, closest_bucket
from reelgen.core.backends.stephook import report_steps
from reelgen.core.cache import ModelCache
from reelgen.core.devices import device_info
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec.request import GenerationRequest, Task


def _image(path: Path) -> str:
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(path)
    return str(path)


def _loaded_pipe(request: GenerationRequest, cache: ModelCache) -> Any:
    """The pipeline ``cache`` holds for ``request`` (the one render just used)."""
    backend_cls, preset, resolved = resolve_request(request)
    source = weights.locate(backend_cls, preset)
    plan = backend_cls(preset).plan_for(resolved, device_info("cpu"), None)
    backend, cached = cache.acquire(backend_cls, preset, source, plan)
    assert cached
    return backend.pipe  # type: ignore[attr-defined]


@pytest.mark.parametrize(("model", "task"), [("hunyuan15-tiny", Task.T2V), ("hunyuan15-i2v-tiny", Task.I2V)])
def test_tiny_model_renders_the_requested_size_frames_and_fps(model: str, task: Task, tmp_path: Path) -> None:
    # The tiny i2v model's buckets (about 64x64 px of area) include 80x48.
    width, height = (80, 48) if task is Task.I2V else (48, 32)
    start = _image(tmp_path / "start.png") if task is Task.I2V else None
    request = GenerationRequest(
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


def test_each_step_reports_once_with_a_preview_and_the_scheduler_is_restored(tmp_path: Path) -> None:
    cache = ModelCache()
    events: list[ProgressEvent] = []
    request = GenerationRequest(model="hunyuan15-tiny", prompt="a cat", num_frames=5, steps=3, seed=1)
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
    request = GenerationRequest(model="hunyuan15-tiny", prompt="a cat", num_frames=5, steps=4, seed=1)
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


def test_image_to_video_sizes_are_its_aspect_buckets(tmp_path: Path) -> None:
    start = _image(tmp_path / "s.png")
    _, _, ok = resolve_request(GenerationRequest(model="hunyuan15-480p-i2v", start_image=start))
    assert (ok.width, ok.height) == (848, 480)
    with pytest.raises(InvalidRequest, match=r"size 640x480 .* nearest valid: 720x544 or 720x560"):
        resolve_request(
            GenerationRequest(model="hunyuan15-480p-i2v", start_image=start, width=640, height=480)
        )
    _, _, near = resolve_request(
        GenerationRequest(model="hunyuan15-480p-i2v", start_image=start, width=720, height=544)
    )
    assert (near.width, near.height) == (720, 544)
    with pytest.raises(
        InvalidRequest, match=r"width 850 is not a multiple of 16 .*nearest valid: 848 or 864"
    ):
        resolve_request(GenerationRequest(model="hunyuan15-720p", width=850))


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

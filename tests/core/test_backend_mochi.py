"""The Mochi backend on its tiny model: text-to-video end to end, its 6k+1 frame rule, LoRAs, previews."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from reelgen.core.backends.mochi import SPEC
from reelgen.core.cache import ModelCache
from reelgen.core.errors import Cancelled, InvalidRequest, UnsupportedTask
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec.memory import DeviceInfo
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.weights import sha256_file
from tests.core.helpers import loaded, progress_bars, resolved, run

SMALL = {"width": 48, "height": 32, "num_frames": 13, "fps": 24.0, "seed": 1, "prompt": "a red cat"}


@pytest.fixture(scope="module")
def cache() -> Iterator[ModelCache]:
    """One cache for the module, so the tiny model is loaded once."""
    models = ModelCache(max_models=1)
    yield models
    models.free()


@pytest.fixture(scope="module")
def lora_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real LoRA for the tiny Mochi transformer, made with peft and saved as diffusers writes it."""
    from diffusers import MochiPipeline, MochiTransformer3DModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    from reelgen.core.spec.registry import resolve
    from reelgen.core.weights import tiny_folder

    folder = tiny_folder(SPEC, resolve("mochi-tiny")[1])
    transformer = MochiTransformer3DModel.from_pretrained(folder / "transformer")
    torch.manual_seed(3)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["to_q", "to_k", "to_v"], init_lora_weights=False)
    transformer.add_adapter(config)
    out = tmp_path_factory.mktemp("mochi-lora")
    MochiPipeline.save_lora_weights(
        out, transformer_lora_layers=get_peft_model_state_dict(transformer), weight_name="style.safetensors"
    )
    return out / "style.safetensors"


def _request(**fields: Any) -> ResolvedRequest:
    return resolved(**{"model": "mochi-tiny", **SMALL, **fields})


def test_text_to_video_renders_the_requested_clip_with_progress_and_previews(
    cache: ModelCache, tmp_path: Path
) -> None:
    events: list[ProgressEvent] = []
    progress = Progress(on_event=events.append, preview_every=1)
    result = render(_request(steps=3), tmp_path / "out.mp4", cache=cache, progress=progress)
    info = probe(result.path)
    assert (info["frames"], info["width"], info["height"]) == (13, 48, 32)
    assert info["fps"] == pytest.approx(24.0)
    assert result.video.frames.std() > 0
    denoise = [e for e in events if e.stage == "denoise"]
    assert [e.step for e in denoise] == [0, 1, 2, 3] and denoise[-1].total == 3
    assert all(e.preview is not None and e.preview.dtype == np.uint8 for e in denoise[1:])


def test_wrong_sizes_and_frame_counts_name_the_nearest_valid_ones() -> None:
    with pytest.raises(InvalidRequest, match=r"height 40 is not a multiple of 16.*nearest valid: 32 or 48"):
        _request(height=40)
    with pytest.raises(InvalidRequest, match=r"10 frames is not 6k\+1.*nearest valid: 7 or 13"):
        _request(num_frames=10)
    with pytest.raises(InvalidRequest, match=r"169 frames is outside 1\.\.163"):
        _request(num_frames=169)


def test_mochi_makes_no_image_to_video() -> None:
    with pytest.raises(UnsupportedTask, match="mochi-tiny .* cannot do i2v; it supports t2v"):
        _request(task="i2v", start_image=__file__)


def test_a_lora_changes_the_clip_and_is_recorded(lora_file: Path, cache: ModelCache, tmp_path: Path) -> None:
    plain = render(_request(), tmp_path / "a.mp4", cache=cache)
    styled = render(
        _request(loras=[{"path": str(lora_file), "strength": 0.8}]), tmp_path / "b.mp4", cache=cache
    )
    assert not np.array_equal(plain.video.frames, styled.video.frames)
    assert styled.metadata["loras"] == [
        {"path": str(lora_file), "strength": 0.8, "sha256": sha256_file(lora_file)}
    ]


def test_cancel_between_steps_stops_the_run_and_writes_nothing(cache: ModelCache, tmp_path: Path) -> None:
    progress = Progress()

    def cancel_after_first_step(event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.step == 1:
            progress.cancel.cancel()

    progress.on_event = cancel_after_first_step
    with pytest.raises(Cancelled):
        render(_request(steps=4), tmp_path / "out.mp4", cache=cache, progress=progress)
    assert not (tmp_path / "out.mp4").exists()


def test_generate_draws_no_diffusers_progress_bar(capfd: pytest.CaptureFixture[str]) -> None:
    runner = loaded("mochi-tiny", **SMALL)
    capfd.readouterr()  # loading may print; generating must not
    frames = run(runner, **SMALL)
    assert frames.shape == (13, 32, 48, 3)
    assert progress_bars(capfd.readouterr().err) == []


def test_the_planner_offloads_mochi_1_on_a_24_gib_card() -> None:
    preset = next(p for p in SPEC.presets if p.name == "mochi-1")
    short, long = resolved(model="mochi-1", num_frames=31), resolved(model="mochi-1", num_frames=163)
    assert SPEC.working_gib(preset, long) > SPEC.working_gib(preset, short) > 1.0
    plan = SPEC.plan(preset, long, DeviceInfo("cuda:0", "RTX 4090", 24.0, 23.0), None)
    assert plan.strategy != "gpu"

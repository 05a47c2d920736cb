"""The LTX-Video backend on its tiny model: every claimed task end to end, rules, LoRAs, cancel, single files."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image
from reelgen.core.validate import resolve_request

from reelgen.core.backends.ltx import PRESETS, LTXBackend, full_configs
from reelgen.core.backends.ltx_conditions import LTX_RGB_BIAS, ltx_latent_preview
from reelgen.core.cache import ModelCache
from reelgen.core.encode import write_video
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.types import Video
from reelgen.core.weights import locate, sha256_file

BASE = {"model": "ltx-tiny", "prompt": "a red circle moves left", "seed": 1}


@pytest.fixture(scope="module")
def cache() -> Iterator[ModelCache]:
    """One cache for the module, so the tiny model is loaded once."""
    models = ModelCache(max_models=2)
    yield models
    models.free()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Two different images and two different 17-frame clips (A and B) to steer runs with."""
    folder = tmp_path_factory.mktemp("ltx-inputs")
    ramp = np.linspace(0, 255, 80, dtype=np.uint8)
    a = np.stack(
        [np.tile(ramp, (60, 1)), np.tile(ramp[:60, None], (1, 80)), np.full((60, 80), 90, np.uint8)], -1
    )
    b = 255 - a[::-1]
    paths = {}
    for name, image in (("a", a), ("b", b)):
        Image.fromarray(image).save(folder / f"{name}.png")
        clip = np.stack([np.roll(image, 4 * i, axis=1) for i in range(17)])
        write_video(Video(clip, Fraction(24)), folder / f"{name}.mp4")
        paths[f"image_{name}"] = str(folder / f"{name}.png")
        paths[f"clip_{name}"] = str(folder / f"{name}.mp4")
    return paths


@pytest.fixture(scope="module")
def lora_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real LoRA for the tiny transformer, made with peft and saved the way diffusers writes one."""
    from diffusers import LTXPipeline, LTXVideoTransformer3DModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    cls, preset = registry.resolve("ltx-tiny")
    transformer: Any = LTXVideoTransformer3DModel.from_pretrained(
        str(locate(cls, preset).path / "transformer")
    )
    torch.manual_seed(3)
    config = LoraConfig(
        r=4, lora_alpha=8, target_modules=["to_q", "to_k", "to_v", "to_out.0"], init_lora_weights=False
    )
    transformer.add_adapter(config)
    folder = tmp_path_factory.mktemp("ltx-lora")
    LTXPipeline.save_lora_weights(
        folder,
        transformer_lora_layers=get_peft_model_state_dict(transformer),
        weight_name="style.safetensors",
    )
    return folder / "style.safetensors"


def _request(**fields: Any) -> GenerationRequest:
    return GenerationRequest.model_validate({**BASE, **fields})


def _frames(cache: ModelCache, tmp_path: Path, progress: Progress | None = None, **fields: Any) -> np.ndarray:
    return render(_request(**fields), tmp_path / "out.mp4", cache=cache, progress=progress).video.frames


TASKS = {
    "t2v": lambda x, k: {"width": 96, "height": 64, "num_frames": 17, "fps": 12.0},
    "i2v": lambda x, k: {"start_image": x[f"image_{k}"]},
    "i2v-first-last": lambda x, k: {"start_image": x["image_a"], "end_image": x[f"image_{k}"]},
    "keyframes": lambda x, k: {
        "keyframes": [
            {"image": x["image_a"], "frame": 0},
            {"image": x[f"image_{k}"], "frame": 8, "strength": 0.8},
        ]
    },
    "extend": lambda x, k: {"task": "extend", "source_video": x[f"clip_{k}"]},
    "v2v": lambda x, k: {"task": "v2v", "source_video": x[f"clip_{k}"], "source_strength": 0.6},
}


@pytest.mark.parametrize("task", list(TASKS))
def test_every_task_renders_the_requested_clip_and_follows_its_inputs(
    task: str, inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    fields = TASKS[task](inputs, "a")
    result = render(_request(**fields), tmp_path / "a.mp4", cache=cache)
    info = probe(result.path)
    want = (fields.get("num_frames", 9), fields.get("width", 64), fields.get("height", 64))
    assert (info["frames"], info["width"], info["height"]) == want
    assert info["fps"] == pytest.approx(fields.get("fps", 24.0))
    assert result.metadata["request"]["task"] == task.split("-")[0]
    if task != "t2v":  # swapping the image or clip the task is given changes the video
        other = _frames(cache, tmp_path, **TASKS[task](inputs, "b"))
        assert not np.array_equal(result.video.frames, other)


def test_same_seed_repeats_and_another_seed_differs(cache: ModelCache, tmp_path: Path) -> None:
    first = _frames(cache, tmp_path, seed=5)
    assert np.array_equal(first, _frames(cache, tmp_path, seed=5))
    assert not np.array_equal(first, _frames(cache, tmp_path, seed=6))


def test_a_fixed_schedule_runs_through_the_condition_pipeline(cache: ModelCache, tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    frames = _frames(
        cache, tmp_path, Progress(events.append), options={"timesteps": [1000.0, 900.0, 500.0]}, steps=3
    )
    assert frames.shape == (9, 64, 64, 3)
    assert [e.step for e in events if e.stage == "denoise"] == [0, 1, 2, 3]


def test_height_off_the_32_grid_names_the_neighbours() -> None:
    with pytest.raises(InvalidRequest, match="480 or 512") as err:
        resolve_request(_request(height=500))
    assert err.value.param == "height"


def test_frame_count_off_the_8k_plus_1_lattice_names_the_neighbours() -> None:
    with pytest.raises(InvalidRequest, match="73 or 81") as err:
        resolve_request(_request(num_frames=80))
    assert err.value.param == "num_frames"


def test_i2v_without_a_start_image_says_what_is_missing() -> None:
    with pytest.raises(InvalidRequest, match="start image") as err:
        resolve_request(_request(task="i2v"))
    assert err.value.param == "start_image"


def test_extend_opens_with_the_end_of_the_source_clip(inputs: dict[str, str], cache: ModelCache) -> None:
    cls, preset, request = resolve_request(
        _request(
            task="extend", source_video=inputs["clip_a"], num_frames=17, options={"extend_context_frames": 9}
        )
    )
    backend, _ = cache.acquire(
        cls, preset, locate(cls, preset), LTXBackend(preset).plan_for(request, _cpu(), None)
    )
    messages: list[str] = []
    video = backend.generate(request, Progress(lambda e: messages.append(e.message)))
    assert video.num_frames == 17
    assert video.extra["extend_context_frames"] == 9
    assert any("first 9 frames repeat the end of the source" in m for m in messages)


def test_extend_context_must_leave_frames_to_generate(inputs: dict[str, str]) -> None:
    with pytest.raises(InvalidRequest, match="extend_context_frames 9 must be 8k\\+1 and below num_frames"):
        resolve_request(
            _request(task="extend", source_video=inputs["clip_a"], options={"extend_context_frames": 9})
        )


def test_v2v_strength_too_low_for_a_single_step_is_refused(inputs: dict[str, str]) -> None:
    with pytest.raises(InvalidRequest, match="leaves no denoising step out of 2") as err:
        resolve_request(_request(task="v2v", source_video=inputs["clip_a"], source_strength=0.3))
    assert err.value.param == "source_strength"


def test_v2v_source_shorter_than_the_clip_names_a_length_that_fits(
    inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    with pytest.raises(InvalidRequest, match="ask for at most 17 frames"):
        _frames(cache, tmp_path, task="v2v", source_video=inputs["clip_a"], num_frames=25)
    assert not (tmp_path / "out.mp4").exists()


def test_a_lora_changes_the_video_and_is_recorded_with_its_hash(
    lora_file: Path, cache: ModelCache, tmp_path: Path
) -> None:
    plain = _frames(cache, tmp_path)
    styled = render(_request(loras=[{"path": str(lora_file)}]), tmp_path / "lora.mp4", cache=cache)
    assert not np.array_equal(plain, styled.video.frames)
    assert styled.metadata["loras"][0]["sha256"] == sha256_file(lora_file)
    # The cached model drops the LoRA again for the next request that does not ask for it.
    assert np.array_equal(plain, _frames(cache, tmp_path))


def test_a_missing_lora_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.safetensors"
    with pytest.raises(InvalidRequest, match="nope.safetensors does not exist"):
        render(_request(loras=[{"path": str(missing)}]), tmp_path / "out.mp4")


def test_cancel_after_the_first_step_stops_without_a_file(cache: ModelCache, tmp_path: Path) -> None:
    progress = Progress()

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.step == 1:
            progress.cancel.cancel()

    progress.on_event = on_event
    with pytest.raises(Cancelled):
        render(_request(), tmp_path / "out.mp4", cache=cache, progress=progress)
    assert not (tmp_path / "out.mp4").exists()


def test_previews_arrive_with_progress(cache: ModelCache, tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    _frames(cache, tmp_path, Progress(events.append, preview_every=1))
    previews = [e.preview for e in events if e.preview is not None]
    assert len(previews) == 2
    assert previews[0].shape == (3, 16, 16, 3) and previews[0].dtype == np.uint8


def test_ltx_latents_preview_through_the_published_rgb_map() -> None:
    zeros = torch.zeros(1, 128, 2, 4, 6)
    preview = ltx_latent_preview(zeros)
    expected = np.round((np.array(LTX_RGB_BIAS) + 1) / 2 * 255)
    assert preview.shape == (2, 4, 6, 3)
    assert np.array_equal(preview[0, 0, 0], expected)


def _single_file(folder: Path, tmp_path: Path) -> Path:
    """The tiny transformer saved as one file with the original LTX key names."""
    from safetensors.torch import load_file, save_file

    state = load_file(str(folder / "transformer" / "diffusion_pytorch_model.safetensors"))
    original = {
        "proj_in": "patchify_proj",
        "time_embed": "adaln_single",
        "norm_q": "q_norm",
        "norm_k": "k_norm",
    }
    renamed = {}
    for key, value in state.items():
        for new, old in original.items():
            key = key.replace(new, old)
        renamed[f"model.diffusion_model.{key}"] = value
    save_file(renamed, str(tmp_path / "ltxv-tiny.safetensors"))
    return tmp_path / "ltxv-tiny.safetensors"


def test_a_single_file_checkpoint_loads_with_the_rest_from_the_base_folder(
    cache: ModelCache, tmp_path: Path
) -> None:
    cls, preset = registry.resolve("ltx-tiny")
    path = _single_file(locate(cls, preset).path, tmp_path)
    from_file = render(_request(weights=str(path)), tmp_path / "file.mp4", cache=cache).video.frames
    assert np.array_equal(from_file, _frames(cache, tmp_path))


def test_a_single_file_without_a_base_folder_says_how_to_get_one(tmp_path: Path) -> None:
    cls, preset = registry.resolve("ltx-tiny")
    path = _single_file(locate(cls, preset).path, tmp_path)
    with pytest.raises(InvalidRequest, match="reelgen pull ltx-2b") as err:
        render(
            _request(model="ltx-2b", weights=str(path), width=64, height=64, num_frames=9), tmp_path / "o.mp4"
        )
    assert err.value.param == "weights"


@pytest.mark.parametrize("preset", [p for p in PRESETS if not p.tiny], ids=lambda p: p.name)
def test_full_size_configs_match_the_declared_memory(preset: Any) -> None:
    from diffusers import AutoencoderKLLTXVideo, LTXVideoTransformer3DModel
    from transformers import T5Config, T5EncoderModel

    configs = full_configs(preset.name)
    with torch.device("meta"):
        parts = {
            "transformer": LTXVideoTransformer3DModel(**configs["transformer"]),
            "vae": AutoencoderKLLTXVideo(**configs["vae"]),
            "text_encoder": T5EncoderModel(T5Config(**configs["text_encoder"])),
        }
    bf16_gib = {name: sum(p.numel() for p in m.parameters()) * 2 / 1024**3 for name, m in parts.items()}
    assert bf16_gib["transformer"] == pytest.approx(preset.parts_gib["transformer"], rel=0.01)
    assert bf16_gib["vae"] == pytest.approx(preset.parts_gib["vae"], rel=0.01)
    # T5 keeps a few layers in float32 once loaded, so it holds a little more than its bf16 weights.
    assert bf16_gib["text_encoder"] < preset.parts_gib["text_encoder"] < 1.1 * bf16_gib["text_encoder"]
    assert (parts["vae"].spatial_compression_ratio, parts["vae"].temporal_compression_ratio) == (32, 8)


def test_working_memory_grows_with_the_clip() -> None:
    backend = LTXBackend(registry.resolve("ltx-2b")[1])
    short = backend.working_gib(_request(model="ltx-2b", width=768, height=512, num_frames=41))
    long = backend.working_gib(_request(model="ltx-2b", width=768, height=512, num_frames=161))
    assert 1.0 < short < long < 20.0


def _cpu() -> Any:
    from reelgen.core.devices import device_info

    return device_info("cpu")

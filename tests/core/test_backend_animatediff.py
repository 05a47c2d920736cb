"""The AnimateDiff backend on tiny models: tasks, the low-VRAM recipe, FreeNoise, camera moves, real layout."""

from __future__ import annotations

import os
import re
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from reelgen.core.backends.animatediff import SPEC
from reelgen.core.cache import ModelCache
from reelgen.core.encode import write_video
from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec.memory import DeviceInfo
from reelgen.core.spec.registry import resolve
from reelgen.core.spec.request import ResolvedRequest
from reelgen.core.types import Video
from reelgen.core.weights import sha256_file, tiny_folder
from tests.core.helpers import loaded, resolved, run

SMALL: dict[str, Any] = {
    "width": 40,
    "height": 32,
    "num_frames": 9,
    "fps": 12.0,
    "seed": 1,
    "prompt": "a red cat",
}
ZOOM_IN = "guoyww/animatediff-motion-lora-zoom-in"
#: What a tqdm bar leaves on stderr: "50%|█████     | 1/2 [00:01<00:01, 1.2s/it]".
TQDM = re.compile(r"\d+%\|.*\| *\d+/\d+")


@pytest.fixture(scope="module")
def cache() -> ModelCache:
    """One cache for the module, so the tiny model is loaded once."""
    # Let go at the module's end, not freed: free() runs a full gc.collect, which in a full run's test
    # process walks all that the earlier files left (about 2 CPU-s; 0.25 s with this file alone). The
    # tiny weights weigh under 1 MB, and what reference counting leaves the next automatic gc takes.
    return ModelCache(max_models=1)


@pytest.fixture(scope="module")
def source_video(tmp_path_factory: pytest.TempPathFactory) -> str:
    ramp = np.linspace(0, 255, 64, dtype=np.uint8)
    image = np.stack(
        [np.tile(ramp, (48, 1)), np.tile(ramp[:48, None], (1, 64)), np.full((48, 64), 90, np.uint8)], -1
    )
    path = tmp_path_factory.mktemp("animatediff-inputs") / "source.mp4"
    write_video(Video(np.stack([np.roll(image, 3 * i, axis=1) for i in range(9)]), Fraction(8)), path)
    return str(path)


@pytest.fixture(scope="module")
def motion_lora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A camera-motion LoRA for the tiny motion modules, laid out like guoyww's repos."""
    from diffusers import AnimateDiffPipeline, UNetMotionModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    unet = UNetMotionModel.from_pretrained(tiny_folder(SPEC, resolve("animatediff-tiny")[1]) / "unet")
    torch.manual_seed(3)
    targets = r".*motion_modules.*\.(to_q|to_k|to_v)"
    unet.add_adapter(LoraConfig(r=4, lora_alpha=8, target_modules=targets, init_lora_weights=False))
    folder = tmp_path_factory.mktemp("zoom-in")
    AnimateDiffPipeline.save_lora_weights(
        folder,
        unet_lora_layers=get_peft_model_state_dict(unet),
        weight_name="diffusion_pytorch_model.safetensors",
    )
    return folder


def _in_hf_cache(repo: str, folder: Path) -> Path:
    """Put ``folder`` in the test's Hugging Face cache as ``repo``'s main snapshot."""
    root = Path(os.environ["HF_HUB_CACHE"]) / f"models--{repo.replace('/', '--')}"
    commit = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(folder, root / "snapshots" / commit)
    (root / "refs").mkdir(parents=True, exist_ok=True)
    (root / "refs" / "main").write_text(commit)
    return root / "snapshots" / commit


def _request(**fields: Any) -> ResolvedRequest:
    return resolved(**{"model": "animatediff-tiny", **SMALL, **fields})


@pytest.mark.parametrize("task", ["t2v", "v2v"])
def test_every_task_renders_the_requested_clip(
    task: str, source_video: str, cache: ModelCache, tmp_path: Path
) -> None:
    extra = {"source_video": source_video, "source_strength": 0.6} if task == "v2v" else {}
    result = render(_request(task=task, **extra), tmp_path / "out.mp4", cache=cache)
    info = probe(result.path)
    assert (info["frames"], info["width"], info["height"]) == (9, 40, 32)
    assert info["fps"] == pytest.approx(12.0)
    assert result.video.frames.std() > 0


def test_on_the_cpu_a_vram_budget_plans_nothing(cache: ModelCache, tmp_path: Path) -> None:
    # The low-VRAM recipe took the budget on the CPU and recorded it as the plan's ("needs ~0.6 GiB of
    # 4.0 GiB"); every other family says a VRAM budget is not used there.
    result = render(_request(), tmp_path / "out.mp4", cache=cache, vram_budget_gib=4, device="cpu")
    plan = result.metadata["memory_plan"]
    assert (plan["strategy"], plan["dtype"], plan["recipe"], plan["budget_gib"]) == (
        "cpu",
        "float32",
        "",
        None,
    )
    assert plan["reason"].endswith("a VRAM budget (4 GiB) plans GPU memory, so it is not used")
    assert probe(result.path)["frames"] == 9
    spec, preset = resolve("animatediff-v1-5-2")
    request = _request(model="animatediff-v1-5-2", width=512, height=512, num_frames=16)
    # A CPU device reporting free memory (as a GPU's) gets no recipe either.
    assert spec.plan(preset, request, DeviceInfo("cpu", "CPU", 8.0, 4.0, gpus=1), None).recipe == ""


def test_on_a_gpu_the_low_vram_recipe_offloads_layer_by_layer_in_fp16() -> None:
    spec, preset = resolve("animatediff-v1-5-2")
    request = _request(model="animatediff-v1-5-2", width=512, height=512, num_frames=16)
    small = spec.plan(preset, request, DeviceInfo("cuda:0", "GPU", 8.0, 7.5), 4.0)
    assert (small.strategy, small.dtype, small.recipe) == ("sequential_offload", "float16", "low-vram")
    assert small.vae_slicing and small.vae_tiling and small.attention_slicing
    # With no budget given, a card with little free memory gets the same recipe.
    assert spec.plan(preset, request, DeviceInfo("cuda:0", "GPU", 6.0, 5.5), None).recipe == "low-vram"
    roomy = spec.plan(preset, request, DeviceInfo("cuda:0", "GPU", 24.0, 23.0), None)
    assert (roomy.strategy, roomy.recipe) == ("gpu", "")


def test_freenoise_engages_past_16_frames_and_lets_go_after(cache: ModelCache, tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    long = render(
        _request(width=32, num_frames=17),
        tmp_path / "long.mp4",
        cache=cache,
        progress=Progress(on_event=events.append),
    )
    assert probe(long.path)["frames"] == 17
    assert long.video.extra["free_noise"] == {"context_length": 16, "context_stride": 4}
    assert any(e.stage == "free_noise" and "windows of 16" in e.message for e in events)
    short = render(_request(width=32, num_frames=8), tmp_path / "short.mp4", cache=cache)
    assert short.video.extra["free_noise"] is None
    assert probe(short.path)["frames"] == 8


def test_camera_motion_needs_its_lora_in_the_hf_cache(cache: ModelCache, tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable, match=f"not in the Hugging Face cache.*hf download {ZOOM_IN}"):
        render(_request(options={"camera_motion": "zoom-in"}), tmp_path / "out.mp4", cache=cache)
    assert not (tmp_path / "out.mp4").exists()
    with pytest.raises(
        InvalidRequest, match=r"options\.camera_motion: 'spin' is not a choice; give one of zoom-in, zoom-out"
    ):
        _request(options={"camera_motion": "spin"})


def test_camera_motion_applies_the_cached_lora_and_records_it(
    motion_lora: Path, cache: ModelCache, tmp_path: Path
) -> None:
    snapshot = _in_hf_cache(ZOOM_IN, motion_lora)
    few = {"width": 32, "num_frames": 4}  # the motion modules still attend across frames
    plain = render(_request(**few), tmp_path / "a.mp4", cache=cache)
    moved = render(_request(**few, options={"camera_motion": "zoom-in"}), tmp_path / "b.mp4", cache=cache)
    assert not np.array_equal(plain.video.frames, moved.video.frames)
    lora = snapshot / "diffusion_pytorch_model.safetensors"
    assert moved.metadata["loras"] == [
        {"path": str(lora), "repo_id": ZOOM_IN, "strength": 1.0, "sha256": sha256_file(lora)}
    ]
    again = render(_request(**few), tmp_path / "c.mp4", cache=cache)
    assert np.array_equal(plain.video.frames, again.video.frames)  # the camera move does not linger


def test_a_real_preset_joins_the_sd15_base_and_the_motion_adapter_from_the_cache(tmp_path: Path) -> None:
    from diffusers import StableDiffusionPipeline

    from reelgen.core.backends.animatediff.tiny import tiny_motion_adapter, tiny_sd15_parts

    base = tmp_path / "base"
    sd15: Any = StableDiffusionPipeline(
        **tiny_sd15_parts(), safety_checker=None, feature_extractor=None, requires_safety_checker=False
    )
    sd15.save_pretrained(base)
    _in_hf_cache("SG161222/Realistic_Vision_V5.1_noVAE", base)
    request = _request(model="animatediff-v1-5-2", width=64, height=64, num_frames=4, steps=2)
    adapter = "guoyww/animatediff-motion-adapter-v1-5-2"
    # Found when the weights are looked for, so `reelgen models` says partial and the API refuses it.
    with pytest.raises(ModelNotAvailable, match=f"also loads parts from {adapter}, which is not in the"):
        render(request, tmp_path / "out.mp4")
    tiny_motion_adapter().save_pretrained(tmp_path / "adapter")
    _in_hf_cache(adapter, tmp_path / "adapter")
    result = render(request, tmp_path / "out.mp4")
    assert (probe(result.path)["frames"], result.video.width) == (4, 64)
    assert f"{adapter}/diffusion_pytorch_model.safetensors" in result.metadata["model"]["files"]


def test_wrong_sizes_name_the_nearest_valid_ones() -> None:
    with pytest.raises(InvalidRequest, match=r"width 36 is not a multiple of 8.*nearest valid: 32 or 40"):
        _request(width=36)
    with pytest.raises(InvalidRequest, match=r"height 48 is outside 64\.\.1024"):
        _request(model="animatediff-v1-5-3", width=64, height=48)


def test_a_source_strength_that_leaves_no_step_is_refused(source_video: str) -> None:
    with pytest.raises(InvalidRequest, match="leaves no denoising step") as err:
        _request(task="v2v", source_video=source_video, source_strength=0.2, steps=2)
    assert err.value.param == "source_strength"
    assert err.value.message.endswith("raise it to 0.50 or more, or use more steps")


def test_video_to_video_follows_its_source_and_needs_enough_frames(source_video: str) -> None:
    runner = loaded("animatediff-tiny", **SMALL)
    fields: dict[str, Any] = {**SMALL, "task": "v2v", "source_video": source_video}
    assert not np.array_equal(run(runner, **SMALL), run(runner, **fields, source_strength=0.6))
    with pytest.raises(InvalidRequest, match=r"\(9 frames at 8 fps\), and 16 frames at 12 fps") as err:
        run(runner, **{**fields, "num_frames": 16})
    assert err.value.param == "source_video" and "ask for 14 frames or fewer" in err.value.message


@pytest.mark.parametrize("task", ["t2v", "v2v"])
def test_no_diffusers_progress_bar_is_printed_during_generate(
    task: str, source_video: str, capfd: pytest.CaptureFixture[str]
) -> None:
    runner = loaded("animatediff-tiny", **SMALL)
    # Text-to-video past 16 frames runs FreeNoise windows; video-to-video runs the sibling pipeline.
    extra: dict[str, Any] = (
        {"task": "v2v", "source_video": source_video} if task == "v2v" else {"num_frames": 17}
    )
    capfd.readouterr()
    run(runner, **{**SMALL, **extra})
    assert not TQDM.search(capfd.readouterr().err)

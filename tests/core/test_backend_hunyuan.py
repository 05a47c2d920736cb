"""HunyuanVideo: the tiny text- and image-to-video models make real MP4s; sizes, LoRAs and errors."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from reelgen.core.validate import resolve_request

from reelgen.core.backends.hunyuan import HunyuanBackend
from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import probe
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.request import GenerationRequest, LoraSpec, Task


def _image(path: Path, seed: int) -> str:
    pixels = np.random.default_rng(seed).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return str(path)


@pytest.mark.parametrize(("model", "task"), [("hunyuan-tiny", Task.T2V), ("hunyuan-i2v-tiny", Task.I2V)])
def test_tiny_model_renders_the_requested_size_frames_and_fps(model: str, task: Task, tmp_path: Path) -> None:
    start = _image(tmp_path / "start.png", 0) if task is Task.I2V else None
    request = GenerationRequest(
        model=model,
        prompt="a red cat walks",
        start_image=start,
        width=48,
        height=32,
        num_frames=13,
        fps=12,
        seed=3,
    )
    result = render(request, tmp_path / "out.mp4")
    info = probe(result.path)
    assert (info["width"], info["height"], info["frames"], info["fps"]) == (48, 32, 13, 12.0)
    assert result.metadata["request"]["task"] == task.value
    assert result.video.frames.std() > 0


def test_image_to_video_follows_its_start_image(tmp_path: Path) -> None:
    runs = [
        render(
            GenerationRequest(
                model="hunyuan-i2v-tiny", prompt="a cat", start_image=_image(tmp_path / f"{i}.png", i), seed=1
            ),
            tmp_path / f"{i}.mp4",
        ).video.frames
        for i in (1, 2)
    ]
    assert not np.array_equal(runs[0], runs[1])


def _lora(path: Path) -> str:
    """A rank-2 LoRA on the tiny transformer's first attention query, in diffusers' key layout."""
    import torch
    from safetensors.torch import save_file

    gen = torch.Generator().manual_seed(0)
    save_file(
        {
            "transformer.transformer_blocks.0.attn.to_q.lora_A.weight": torch.randn(2, 20, generator=gen),
            "transformer.transformer_blocks.0.attn.to_q.lora_B.weight": torch.randn(20, 2, generator=gen),
        },
        str(path),
    )
    return str(path)


def test_lora_changes_the_video_is_recorded_and_does_not_leak_into_the_next_run(tmp_path: Path) -> None:
    cache = ModelCache()
    lora = _lora(tmp_path / "style.safetensors")
    base: dict[str, Any] = dict(
        model="hunyuan-tiny", prompt="a cat", width=32, height=32, num_frames=5, seed=5
    )
    plain = render(GenerationRequest(**base), tmp_path / "a.mp4", cache=cache)
    styled = render(
        GenerationRequest(**base, loras=[LoraSpec(path=lora, strength=1.0)]), tmp_path / "b.mp4", cache=cache
    )
    again = render(GenerationRequest(**base), tmp_path / "c.mp4", cache=cache)
    assert not np.array_equal(plain.video.frames, styled.video.frames)
    assert np.array_equal(plain.video.frames, again.video.frames)
    assert styled.metadata["loras"][0]["sha256"] == hashlib.sha256(Path(lora).read_bytes()).hexdigest()


def test_wrong_sizes_name_the_nearest_valid_ones() -> None:
    with pytest.raises(
        InvalidRequest, match=r"width 40 is not a multiple of 16 \(HunyuanVideo\); nearest valid: 32 or 48"
    ):
        resolve_request(GenerationRequest(model="hunyuan", width=40))
    with pytest.raises(
        InvalidRequest, match=r"8 frames is not 4k\+1 \(HunyuanVideo\); nearest valid: 5 or 9"
    ):
        resolve_request(GenerationRequest(model="hunyuan-tiny", num_frames=8))


def test_presets_follow_the_published_checkpoints() -> None:
    _, _, t2v = resolve_request(GenerationRequest(model="hunyuan"))
    assert (t2v.width, t2v.height, t2v.num_frames, t2v.fps, t2v.steps, t2v.guidance) == (
        1280,
        720,
        129,
        24.0,
        50,
        6.0,
    )
    with pytest.raises(InvalidRequest, match="cannot do t2v"):
        resolve_request(GenerationRequest(model="hunyuan-i2v", prompt="a cat"))


def test_single_file_transformer_runs_on_the_cached_base_checkpoint(tmp_path: Path) -> None:
    # The base checkpoint in huggingface_hub's cache layout, as `reelgen pull hunyuan` leaves it.
    root = Path(os.environ["HF_HUB_CACHE"]) / "models--hunyuanvideo-community--HunyuanVideo"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text("1" * 40)
    base = root / "snapshots" / ("1" * 40)
    HunyuanBackend.build_tiny(registry.resolve("hunyuan-tiny")[1], base)
    finetune = tmp_path / "finetune.safetensors"
    shutil.copy(base / "transformer" / "diffusion_pytorch_model.safetensors", finetune)
    request = GenerationRequest(
        model="hunyuan",
        prompt="a cat",
        weights=str(finetune),
        width=32,
        height=32,
        num_frames=5,
        steps=1,
        seed=1,
    )
    result = render(request, tmp_path / "out.mp4")
    assert probe(result.path)["frames"] == 5
    assert result.metadata["model"]["kind"] == "single_file"
    assert result.metadata["model"]["files"] == {
        "finetune.safetensors": hashlib.sha256(finetune.read_bytes()).hexdigest()
    }

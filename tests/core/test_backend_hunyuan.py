"""HunyuanVideo: the tiny text- and image-to-video models make real MP4s; sizes, LoRAs, single files, no stray bars."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core.backends.hunyuan import SPEC
from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import probe
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.request import Task
from tests.core.helpers import loaded, resolved, run

#: What a tqdm bar leaves on stderr: "50%|█████     | 1/2 [00:01<00:01, 1.2s/it]".
TQDM = re.compile(r"\d+%\|.*\| *\d+/\d+")


def _image(path: Path, seed: int) -> str:
    pixels = np.random.default_rng(seed).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return str(path)


@pytest.mark.parametrize(("model", "task"), [("hunyuan-tiny", Task.T2V), ("hunyuan-i2v-tiny", Task.I2V)])
def test_tiny_model_renders_the_requested_size_frames_and_fps(model: str, task: Task, tmp_path: Path) -> None:
    start = _image(tmp_path / "start.png", 0) if task is Task.I2V else None
    request = resolved(
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
            resolved(
                model="hunyuan-i2v-tiny", prompt="a cat", start_image=_image(tmp_path / f"{i}.png", i), seed=1
            ),
            tmp_path / f"{i}.mp4",
        ).video.frames
        for i in (1, 2)
    ]
    assert not np.array_equal(runs[0], runs[1])


def test_true_cfg_and_flow_shift_change_the_video_and_leave_the_next_run_alone() -> None:
    runner = loaded("hunyuan-tiny")
    fields: dict[str, Any] = dict(prompt="a cat", width=32, height=32, num_frames=5, seed=2)
    plain = run(runner, **fields)
    assert not np.array_equal(plain, run(runner, **fields, options={"flow_shift": 2.0}))
    real_cfg = run(runner, **fields, negative_prompt="blurry", options={"true_cfg_scale": 4.0})
    assert not np.array_equal(plain, real_cfg)
    assert np.array_equal(plain, run(runner, **fields))  # a fresh scheduler every run


def test_no_diffusers_progress_bar_is_printed_during_generate(capfd: pytest.CaptureFixture[str]) -> None:
    runner = loaded("hunyuan-tiny")
    capfd.readouterr()
    run(runner, prompt="a cat", width=32, height=32, num_frames=5, seed=1)
    assert not TQDM.search(capfd.readouterr().err)


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
    plain = render(resolved(**base), tmp_path / "a.mp4", cache=cache)
    styled = render(
        resolved(**base, loras=[{"path": lora, "strength": 1.0}]), tmp_path / "b.mp4", cache=cache
    )
    again = render(resolved(**base), tmp_path / "c.mp4", cache=cache)
    assert not np.array_equal(plain.video.frames, styled.video.frames)
    assert np.array_equal(plain.video.frames, again.video.frames)
    assert styled.metadata["loras"][0]["sha256"] == hashlib.sha256(Path(lora).read_bytes()).hexdigest()


def test_wrong_sizes_name_the_nearest_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(
        InvalidRequest, match=r"width 40 is not a multiple of 16 \(HunyuanVideo\); nearest valid: 32 or 48"
    ):
        resolved(model="hunyuan", width=40)
    with pytest.raises(
        InvalidRequest, match=r"8 frames is not 4k\+1 \(HunyuanVideo\); nearest valid: 5 or 9"
    ):
        resolved(model="hunyuan-tiny", num_frames=8)
    with pytest.raises(
        InvalidRequest,
        match=r"cannot pin a last frame; leave it out, or use a first\+last frame model \(framepack",
    ):
        resolved(
            model="hunyuan-i2v-tiny",
            start_image=_image(tmp_path / "s.png", 0),
            end_image=_image(tmp_path / "e.png", 1),
        )


def test_presets_follow_the_published_checkpoints() -> None:
    t2v = resolved(model="hunyuan")
    assert (t2v.width, t2v.height, t2v.num_frames, t2v.fps, t2v.steps, t2v.guidance) == (
        1280,
        720,
        129,
        24.0,
        50,
        6.0,
    )
    with pytest.raises(InvalidRequest, match="does not make video from a prompt alone; give a start image"):
        resolved(model="hunyuan-i2v", prompt="a cat")


def test_memory_estimate_grows_with_the_clip() -> None:
    spec, preset = registry.resolve("hunyuan")
    short = resolved(model="hunyuan", num_frames=33)
    assert spec.working_gib(preset, resolved(model="hunyuan")) > spec.working_gib(preset, short) > 1.0


def test_single_file_transformer_runs_on_the_cached_base_checkpoint(tmp_path: Path) -> None:
    # The base checkpoint in huggingface_hub's cache layout, as `reelgen pull hunyuan` leaves it.
    root = Path(os.environ["HF_HUB_CACHE"]) / "models--hunyuanvideo-community--HunyuanVideo"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text("1" * 40)
    base = root / "snapshots" / ("1" * 40)
    SPEC.build_tiny(registry.resolve("hunyuan-tiny")[1], base)
    finetune = tmp_path / "finetune.safetensors"
    shutil.copy(base / "transformer" / "diffusion_pytorch_model.safetensors", finetune)
    request = resolved(
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

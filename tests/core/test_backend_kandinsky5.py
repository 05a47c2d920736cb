"""Kandinsky 5 on its tiny models: both tasks end to end, size and frame rules, progress and cancel, LoRAs,
memory plans, and a spec that lists and validates without torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

from reelgen.core.cache import ModelCache
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.memory import DeviceInfo
from reelgen.core.weights import locate, sha256_file
from tests.core.helpers import loaded, progress_bars, resolved, run

SMALL: dict[str, Any] = {
    "width": 48,
    "height": 32,
    "fps": 12.0,
    "seed": 1,
    "prompt": "a red circle moves to the right",
}


@pytest.fixture(scope="module")
def cache() -> ModelCache:
    """One cache for the module, so each tiny model is loaded once."""
    # Let go at the module's end, not freed: free() runs a full gc.collect, which in a full run's test
    # process walks all that the earlier files left (about 2 CPU-s; 0.25 s with this file alone). The
    # tiny weights weigh under 1 MB, and what reference counting leaves the next automatic gc takes.
    return ModelCache(max_models=2)


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("kandinsky5-inputs")
    ramp = np.linspace(0, 255, 64, dtype=np.uint8)
    start = np.stack([np.tile(ramp, (48, 1)), np.tile(ramp[:48, None], (1, 64)), np.full((48, 64), 90)], -1)
    Image.fromarray(start.astype(np.uint8)).save(folder / "a.png")
    Image.fromarray((255 - start).astype(np.uint8)).save(folder / "b.png")
    return str(folder / "a.png"), str(folder / "b.png")


@pytest.fixture(scope="module")
def lora_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real LoRA for the tiny transformer, made with peft and saved as diffusers writes it."""
    from diffusers import Kandinsky5T2VPipeline, Kandinsky5Transformer3DModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    spec, preset = registry.resolve("kandinsky5-tiny")
    transformer = Kandinsky5Transformer3DModel.from_pretrained(locate(spec, preset).path / "transformer")
    torch.manual_seed(3)
    config = LoraConfig(
        r=4, lora_alpha=8, target_modules=["to_query", "to_key", "to_value"], init_lora_weights=False
    )
    transformer.add_adapter(config)
    folder = tmp_path_factory.mktemp("kandinsky5-lora")
    Kandinsky5T2VPipeline.save_lora_weights(
        folder,
        transformer_lora_layers=get_peft_model_state_dict(transformer),
        weight_name="style.safetensors",
    )
    return folder / "style.safetensors"


def _run(runner: Any, progress: Progress | None = None, **fields: Any) -> np.ndarray:
    return run(runner, progress, **{**SMALL, "num_frames": 9, **fields})


def test_text_to_video_renders_the_clip_asked_for(cache: ModelCache, tmp_path: Path) -> None:
    result = render(
        resolved(model="kandinsky5-tiny", num_frames=9, **SMALL), tmp_path / "t2v.mp4", cache=cache
    )
    info = probe(result.path)
    assert (info["frames"], info["width"], info["height"]) == (9, 48, 32)
    assert info["fps"] == pytest.approx(12.0)
    assert result.metadata["request"]["task"] == "t2v"
    assert result.video.frames.std() > 0


def test_image_to_video_renders_the_clip_asked_for_from_the_start_image(
    cache: ModelCache, images: tuple[str, str], tmp_path: Path
) -> None:
    clips = []
    for i, image in enumerate(images):
        request = resolved(model="kandinsky5-i2v-tiny", start_image=image, num_frames=17, **SMALL)
        result = render(request, tmp_path / f"i2v-{i}.mp4", cache=cache)
        info = probe(result.path)
        assert (info["frames"], info["width"], info["height"]) == (17, 48, 32)
        assert info["fps"] == pytest.approx(12.0)
        assert result.metadata["request"]["task"] == "i2v"
        clips.append(result.video.frames)
    assert not np.array_equal(clips[0], clips[1])  # the start image decides the clip


def test_seed_and_prompt_each_change_the_clip_and_a_seed_repeats() -> None:
    runner = loaded("kandinsky5-tiny", **SMALL)
    first = _run(runner)
    assert np.array_equal(first, _run(runner))
    assert not np.array_equal(first, _run(runner, seed=2))
    # The prompt reaches the transformer past the pipeline's 128-token system-prompt crop.
    assert not np.array_equal(first, _run(runner, prompt="a blue square moves to the left"))


@pytest.mark.parametrize(
    ("fields", "message", "param"),
    [
        ({"model": "kandinsky5-tiny", "width": 70}, "nearest valid: 64 or 80", "width"),
        ({"model": "kandinsky5-lite", "height": 500}, "nearest valid: 496 or 512", "height"),
        (
            {"model": "kandinsky5-tiny", "num_frames": 20},
            "not 4k\\+1 .*nearest valid: 17 or 21",
            "num_frames",
        ),
        ({"model": "kandinsky5-lite", "num_frames": 125}, "outside 1..121", "num_frames"),
        (
            {"model": "kandinsky5-i2v-tiny", "num_frames": 13, "start_image": "a"},
            "outside 17..121",
            "num_frames",
        ),
        ({"model": "kandinsky5-i2v-tiny", "start_image": "a", "end_image": "b"}, "last frame", "end_image"),
        ({"model": "kandinsky5-tiny", "guidance_2": 2.0}, "one transformer", "guidance_2"),
    ],
    ids=["width", "height", "frames-4k+1", "frames-5s", "i2v-frames", "end-image", "guidance_2"],
)
def test_requests_off_the_rules_name_the_field_and_the_nearest_valid(
    fields: dict[str, Any], message: str, param: str, images: tuple[str, str]
) -> None:
    files = {"a": images[0], "b": images[1]}
    fields = {k: files.get(v, v) if k.endswith("image") else v for k, v in fields.items()}
    with pytest.raises(InvalidRequest, match=message) as err:
        resolved(**{**SMALL, **fields})
    assert err.value.param == param


def test_progress_reports_each_step_with_previews_and_cancel_stops_it() -> None:
    runner = loaded("kandinsky5-tiny", **SMALL)
    events: list[ProgressEvent] = []
    _run(runner, Progress(on_event=events.append, preview_every=1), steps=3)
    denoise = [e for e in events if e.stage == "denoise"]
    assert [e.step for e in denoise] == [0, 1, 2, 3]
    preview = denoise[-1].preview
    assert preview is not None and preview.shape == (3, 4, 6, 3)  # latent frames, H/8, W/8, RGB

    progress = Progress()
    progress.on_event = lambda e: progress.cancel.cancel() if e.step == 1 else None
    with pytest.raises(Cancelled):
        _run(runner, progress, steps=3)


def test_generate_draws_no_diffusers_progress_bar(
    capfd: pytest.CaptureFixture[str], images: tuple[str, str]
) -> None:
    runner = loaded("kandinsky5-i2v-tiny", start_image=images[0], **SMALL)
    capfd.readouterr()  # loading may print; generating must not
    frames = run(runner, start_image=images[0], num_frames=17, **SMALL)
    assert frames.shape == (17, 32, 48, 3)
    assert progress_bars(capfd.readouterr().err) == []


def test_lora_changes_the_clip_is_hashed_and_goes_away(lora_file: Path) -> None:
    runner = loaded("kandinsky5-tiny", **SMALL)
    plain = _run(runner)
    styled = _run(runner, loras=[{"path": str(lora_file), "strength": 1.0}])
    assert not np.array_equal(plain, styled)
    assert runner.lora_records == [
        {"path": str(lora_file), "strength": 1.0, "sha256": sha256_file(lora_file)}
    ]
    assert np.array_equal(plain, _run(runner))


def test_gpu_plans_tile_the_vae_and_offload_lite_on_a_24_gib_card() -> None:
    spec, preset = registry.resolve("kandinsky5-lite")
    full, short = resolved(model="kandinsky5-lite"), resolved(model="kandinsky5-lite", num_frames=41)
    assert spec.working_gib(preset, full) > spec.working_gib(preset, short) > 1.0
    plan = spec.plan(preset, full, DeviceInfo("cuda:0", "RTX 4090", 24.0, 23.0), None)
    assert plan.strategy != "gpu" and plan.vae_tiling
    assert spec.plan(preset, full, DeviceInfo("cuda:0", "H200", 140.0, 139.0), None).vae_tiling
    cpu = spec.plan(preset, full, DeviceInfo("cpu", "CPU", None, None), None)
    assert cpu.strategy == "cpu" and not cpu.vae_tiling


SCRIPT = """
import json, sys
from reelgen.core.spec import GenerationRequest, registry, resolve
from reelgen.core.errors import InvalidRequest

names = sorted(n for n, (spec, _) in registry.presets().items() if spec.family == "kandinsky5")
ok = resolve(GenerationRequest(model="kandinsky5-lite", prompt="a fox")).model_dump(mode="json")
try:
    resolve(GenerationRequest(model="kandinsky5-lite", prompt="a fox", num_frames=120))
    refused = None
except InvalidRequest as exc:
    refused = exc.param
heavy = [m for m in ("torch", "diffusers", "transformers") if m in sys.modules]
print(json.dumps({"names": names, "ok": ok, "refused": refused, "heavy": heavy}))
"""


def test_the_spec_lists_and_validates_without_importing_torch() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["names"] == [
        "kandinsky5-i2v-tiny",
        "kandinsky5-lite",
        "kandinsky5-lite-i2v",
        "kandinsky5-tiny",
    ]
    ok = result["ok"]
    assert (ok["width"], ok["height"], ok["num_frames"], ok["fps"]) == (768, 512, 121, 24.0)
    assert (ok["steps"], ok["guidance"]) == (50, 5.0)
    assert result["refused"] == "num_frames"
    assert result["heavy"] == []

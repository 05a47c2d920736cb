"""The LTX-Video runner on its tiny model: every claimed task end to end, extend, rules, LoRAs, cancel, files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

from reelgen.core import media
from reelgen.core.backends.ltx.presets import PRESETS
from reelgen.core.backends.ltx.preview import LTX_RGB_BIAS, ltx_latent_preview
from reelgen.core.backends.ltx.runner import LTXRunner
from reelgen.core.backends.ltx.weights import full_configs
from reelgen.core.backends.plumbing import video_of
from reelgen.core.cache import ModelCache
from reelgen.core.encode import write_video
from reelgen.core.errors import Cancelled, InvalidRequest
from reelgen.core.media import probe
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.types import Video
from reelgen.core.weights import locate, sha256_file
from tests.core.helpers import loaded, resolved

BASE = {"model": "ltx-tiny", "prompt": "a red circle moves left", "seed": 1}


@pytest.fixture(scope="module")
def cache() -> ModelCache:
    """One cache for the module, so the tiny model is loaded once. Let go, not freed, at the end, as a
    render's own cache is: ``free`` ran a full garbage collection of the test process (the module's last
    test was charged 2.5 CPU-s for it in a full run)."""
    return ModelCache(max_models=2)


@pytest.fixture(scope="module")
def runner() -> LTXRunner:
    """The tiny model loaded once, for tests that call ``generate`` directly."""
    loaded_runner = loaded("ltx-tiny")
    assert isinstance(loaded_runner, LTXRunner)
    return loaded_runner


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
    from diffusers import LTXPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    from reelgen.core.backends.ltx.tiny import tiny_transformer

    transformer = tiny_transformer()
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


def _resolved(**fields: Any) -> Any:
    return resolved(**{**BASE, **fields})


def _frames(cache: ModelCache, tmp_path: Path, progress: Progress | None = None, **fields: Any) -> np.ndarray:
    return render(_resolved(**fields), tmp_path / "out.mp4", cache=cache, progress=progress).video.frames


TASKS = {
    "t2v": lambda x, k: {"width": 96, "height": 32, "num_frames": 17, "fps": 12.0},
    "i2v": lambda x, k: {"start_image": x[f"image_{k}"]},
    "i2v-first-last": lambda x, k: {"start_image": x["image_a"], "end_image": x[f"image_{k}"]},
    "keyframes": lambda x, k: {
        "keyframes": [
            {"image": x["image_a"], "frame": 0},
            {"image": x[f"image_{k}"], "frame": 8, "strength": 0.8},
        ]
    },
    "keyframes-one-at-the-start": lambda x, k: {"keyframes": [{"image": x[f"image_{k}"], "frame": 0}]},
    "extend": lambda x, k: {"task": "extend", "source_video": x[f"clip_{k}"]},
    "v2v": lambda x, k: {"task": "v2v", "source_video": x[f"clip_{k}"], "source_strength": 0.6},
}


@pytest.mark.parametrize("task", list(TASKS))
def test_every_task_renders_the_requested_clip_and_follows_its_inputs(
    task: str, inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    fields = TASKS[task](inputs, "a")
    result = render(_resolved(**fields), tmp_path / "a.mp4", cache=cache)
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


def test_a_fixed_schedule_runs_through_the_condition_pipeline(runner: LTXRunner) -> None:
    events: list[ProgressEvent] = []
    request = _resolved(options={"timesteps": [1000.0, 900.0, 500.0]}, steps=3)
    assert type(runner.pipeline_for(runner.pipeline_task(request))).__name__ == "LTXConditionPipeline"
    video = runner.generate(request, Progress(events.append))
    assert video.frames.shape == (9, 64, 64, 3)
    assert [e.step for e in events if e.stage == "denoise"] == [0, 1, 2, 3]


def test_no_diffusers_progress_bar_prints_while_generating(
    runner: LTXRunner, inputs: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    for fields in ({}, {"start_image": inputs["image_a"]}, TASKS["keyframes"](inputs, "b")):
        runner.generate(_resolved(**fields), Progress())
    err = capfd.readouterr().err
    assert "it/s" not in err and "%|" not in err, err


def test_height_off_the_32_grid_names_the_neighbours() -> None:
    with pytest.raises(InvalidRequest, match="480 or 512") as err:
        _resolved(height=500)
    assert err.value.param == "height"


def test_frame_count_off_the_8k_plus_1_lattice_names_the_neighbours() -> None:
    with pytest.raises(InvalidRequest, match="73 or 81") as err:
        _resolved(num_frames=80)
    assert err.value.param == "num_frames"


def test_i2v_without_a_start_image_says_what_is_missing() -> None:
    with pytest.raises(InvalidRequest, match="start image") as err:
        _resolved(task="i2v")
    assert err.value.param == "start_image"


# ---- extend ------------------------------------------------------------------------------------


def test_extend_by_default_takes_about_half_as_many_context_frames_and_returns_only_the_new_ones(
    runner: LTXRunner, inputs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no extend_context_frames given, 17 new frames take 9 of context: the run pins the source's
    last 9 frames first, and the output is the 17 frames decoded after them.

    The tiny model's random VAE does not reproduce pictures, so continuity is
    checked against the run itself: the first frame returned is the one the
    model made right after the source's last frame, not a re-make of the context.
    """
    seen: dict[str, Any] = {}

    def spy(pipe: Any, kwargs: dict[str, Any], tracker: Any) -> Any:
        result = LTXRunner.call(runner, pipe, kwargs, tracker)
        seen.update(kwargs=kwargs, decoded=video_of(result.frames[0], 24.0).frames)
        return result

    monkeypatch.setattr(runner, "call", spy)
    request = _resolved(task="extend", source_video=inputs["clip_a"], num_frames=17)
    video = runner.generate(request, Progress())

    assert video.num_frames == 17 and video.extra["extend_context_frames"] == 9
    # 9 context + 17 new + 7 spare frames: the next 8k+1 run that holds both.
    assert seen["kwargs"]["num_frames"] == 33 and len(seen["decoded"]) == 33
    (condition,) = seen["kwargs"]["conditions"]
    source = media.read_video(inputs["clip_a"])
    tail = media.fit_video(Video(source.frames[-9:], source.fps), 64, 64)
    assert condition.frame_index == 0
    assert all(
        np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(condition.video, tail, strict=True)
    )
    assert np.array_equal(video.frames, seen["decoded"][9:26])
    assert not np.array_equal(video.frames[0], seen["decoded"][0])  # not the context again


@pytest.mark.parametrize(
    ("fields", "param", "message"),
    [
        ({"options": {"extend_context_frames": 8}}, "options.extend_context_frames", "must be 8k\\+1"),
        (
            {"num_frames": 257},
            "num_frames",
            "^num_frames: 257 is too many for extend.*accepts 8k\\+1 from 1 to 249",
        ),
        (
            {"num_frames": 249, "options": {"extend_context_frames": 17}},
            "num_frames",
            "from 1 to 233; a 1-frame context allows up to 249",
        ),
        ({"start_image": "image_a"}, "start_image", "cannot be pinned in task extend"),
    ],
    ids=["context-off-lattice", "run-too-long", "context-too-long", "extend-with-image"],
)
def test_extend_requests_outside_what_it_accepts_say_what_would_work(
    fields: dict[str, Any], param: str, message: str, inputs: dict[str, str]
) -> None:
    fields = {k: inputs.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    with pytest.raises(InvalidRequest, match=message) as err:
        _resolved(task="extend", source_video=inputs["clip_a"], **fields)
    assert err.value.param == param


@pytest.mark.parametrize(
    "fields",
    [{}, {"task": "i2v", "start_image": "image_a"}, {"task": "v2v", "source_video": "clip_a"}],
    ids=["t2v", "i2v", "v2v"],
)
def test_extend_context_outside_extend_is_refused_not_ignored(
    fields: dict[str, Any], inputs: dict[str, str]
) -> None:
    """Only an extend run reads the option: on any other task it would be accepted and change nothing."""
    fields = {k: inputs.get(v, v) for k, v in fields.items()}
    with pytest.raises(InvalidRequest, match="applies only to task extend") as err:
        _resolved(options={"extend_context_frames": 9}, **fields)
    assert err.value.param == "options.extend_context_frames"
    task = fields.get("task", "t2v")
    assert f"this request is {task}" in str(err.value)


def test_extend_context_longer_than_the_source_names_the_longest(
    runner: LTXRunner, inputs: dict[str, str]
) -> None:
    request = _resolved(task="extend", source_video=inputs["clip_a"], options={"extend_context_frames": 25})
    with pytest.raises(InvalidRequest, match="use at most 17") as err:
        runner.generate(request, Progress())
    assert err.value.param == "options.extend_context_frames"


def test_extend_takes_its_context_at_the_runs_frame_rate(inputs: dict[str, str]) -> None:
    """A 24 fps clip extended at 12 fps: every other source frame, ending on its last; one for one,
    the context's 9 frames covered half the time and the continuation moved at half its pace."""
    from reelgen.core.backends import source_clip
    from reelgen.core.backends.ltx import conditions

    request = _resolved(
        task="extend",
        source_video=inputs["clip_a"],
        num_frames=9,
        fps=12.0,
        options={"extend_context_frames": 9},
    )
    (condition,) = conditions.extend_inputs(registry.resolve("ltx-tiny")[1], request)["conditions"]
    source = media.read_video(inputs["clip_a"])
    assert np.array_equal(source_clip.tail(source, 12.0, 9), source.frames[0::2])
    assert np.array_equal(source_clip.tail(source, 24.0, 9), source.frames[-9:])  # one for one
    assert source_clip.frames_at(17, 24.0, 12.0) == 9 and source_clip.frames_at(17, 24.0, 24.0) == 17
    tail = media.fit_video(Video(source.frames[0::2], source.fps), 64, 64)
    assert all(
        np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(condition.video, tail, strict=True)
    )
    too_long = request.model_copy(
        update={"options": request.options.model_copy(update={"extend_context_frames": 17})}
    )
    with pytest.raises(InvalidRequest, match=r"source_video has 9 frames at 12 fps \(17 at its own 24\)"):
        conditions.extend_inputs(registry.resolve("ltx-tiny")[1], too_long)


# ---- video to video ----------------------------------------------------------------------------


def test_v2v_strength_too_low_for_a_single_step_is_refused(inputs: dict[str, str]) -> None:
    with pytest.raises(InvalidRequest, match="no denoising step") as err:
        _resolved(task="v2v", source_video=inputs["clip_a"], source_strength=0.3)
    assert err.value.param == "source_strength"


def test_v2v_source_shorter_than_the_clip_names_a_length_that_fits(
    inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    with pytest.raises(InvalidRequest, match="ask for 17 frames or fewer") as err:
        _frames(cache, tmp_path, task="v2v", source_video=inputs["clip_a"], num_frames=25)
    assert err.value.param == "source_video"
    assert not (tmp_path / "out.mp4").exists()


# ---- LoRAs, progress, cancel -------------------------------------------------------------------


def test_a_lora_changes_the_video_and_is_recorded_with_its_hash(
    lora_file: Path, cache: ModelCache, tmp_path: Path
) -> None:
    plain = _frames(cache, tmp_path)
    styled = render(_resolved(loras=[{"path": str(lora_file)}]), tmp_path / "lora.mp4", cache=cache)
    assert not np.array_equal(plain, styled.video.frames)
    assert styled.metadata["loras"][0]["sha256"] == sha256_file(lora_file)
    # The cached model drops the LoRA again for the next request that does not ask for it.
    assert np.array_equal(plain, _frames(cache, tmp_path))


def test_a_missing_lora_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="nope.safetensors does not exist") as err:
        _resolved(loras=[{"path": str(tmp_path / "nope.safetensors")}])
    assert err.value.param == "loras[0].path"


def test_cancel_after_the_first_step_stops_without_a_file(cache: ModelCache, tmp_path: Path) -> None:
    progress = Progress()

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.step == 1:
            progress.cancel.cancel()

    progress.on_event = on_event
    with pytest.raises(Cancelled):
        render(_resolved(), tmp_path / "out.mp4", cache=cache, progress=progress)
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


# ---- single files, full-size configs, memory ---------------------------------------------------


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
    path = _single_file(locate(*registry.resolve("ltx-tiny")).path, tmp_path)
    # Its own cache: in the module's, the file's load evicted the folder's model (one placement of a
    # model at a time) and reloading that evicted the file's, each with a full gc.collect of this process.
    from_file = render(_resolved(weights=str(path)), tmp_path / "file.mp4", cache=ModelCache()).video.frames
    assert np.array_equal(from_file, _frames(cache, tmp_path))


def test_a_single_file_without_a_base_folder_says_how_to_get_one(tmp_path: Path) -> None:
    path = _single_file(locate(*registry.resolve("ltx-tiny")).path, tmp_path)
    request = _resolved(model="ltx-2b", weights=str(path), width=64, height=64, num_frames=9)
    with pytest.raises(InvalidRequest, match="reelgen pull ltx-2b") as err:
        render(request, tmp_path / "o.mp4")
    assert err.value.param == "weights"
    assert not (tmp_path / "o.mp4").exists()


@pytest.mark.parametrize("preset", [p for p in PRESETS if not p.tiny], ids=lambda p: p.name)
def test_full_size_configs_match_the_declared_memory(preset: Any) -> None:
    from diffusers import AutoencoderKLLTXVideo, LTXVideoTransformer3DModel
    from transformers import T5Config, T5EncoderModel

    configs = full_configs(preset.name)
    with torch.device("meta"):
        parts: dict[str, Any] = {
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
    transformer = configs["transformer"]
    assert preset.dims[0] == transformer["num_attention_heads"] * transformer["attention_head_dim"]


def test_working_memory_grows_with_the_clip_and_counts_extend_context(inputs: dict[str, str]) -> None:
    spec, preset = registry.resolve("ltx-2b")
    short = spec.working_gib(preset, resolved(model="ltx-2b", width=768, height=512, num_frames=41))
    long = spec.working_gib(preset, resolved(model="ltx-2b", width=768, height=512, num_frames=161))
    extend = resolved(
        model="ltx-2b", width=768, height=512, num_frames=41, task="extend", source_video=inputs["clip_a"]
    )
    assert 1.0 < short < spec.working_gib(preset, extend) < long < 20.0

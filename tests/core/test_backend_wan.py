"""The Wan backend on its tiny models: every claimed task end to end, rules, experts, LoRAs, single files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image
from pydantic import ValidationError

from reelgen.core.backends.wan.runner import WanRunner
from reelgen.core.backends.wan.tiny import full_random_parts
from reelgen.core.cache import ModelCache
from reelgen.core.devices import device_info
from reelgen.core.encode import write_video
from reelgen.core.errors import Cancelled, InvalidRequest, UnsupportedTask
from reelgen.core.media import probe, read_video
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.spec.memory import DeviceInfo
from reelgen.core.spec.request import GenerationRequest, Task
from reelgen.core.types import Video
from reelgen.core.weights import WeightSource, locate, sha256_file
from tests.core.helpers import loaded, resolved, run

SMALL = {"width": 48, "height": 32, "num_frames": 5, "fps": 12.0, "seed": 1, "prompt": "a red circle"}


@pytest.fixture(scope="module")
def cache() -> ModelCache:
    """One cache for the module, so each tiny model is loaded once."""
    # Let go at the module's end, not freed: free() runs a full gc.collect, which in a full run's test
    # process walks all that the earlier files left (about 2 CPU-s; 0.25 s with this file alone). The
    # tiny weights weigh under 1 MB, and what reference counting leaves the next automatic gc takes.
    return ModelCache(max_models=4)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("wan-inputs")
    ramp = np.linspace(0, 255, 80, dtype=np.uint8)
    start = np.stack(
        [np.tile(ramp, (60, 1)), np.tile(ramp[:60, None], (1, 80)), np.full((60, 80), 90, np.uint8)], -1
    )
    Image.fromarray(start).save(folder / "start.png")
    Image.fromarray(start[::-1].copy()).save(folder / "end.png")
    clip = np.stack([np.roll(start, 3 * i, axis=1) for i in range(13)])
    write_video(Video(clip, Fraction(8)), folder / "source.mp4")
    return {
        k: str(folder / f) for k, f in (("start", "start.png"), ("end", "end.png"), ("video", "source.mp4"))
    }


@pytest.fixture(scope="module")
def lora_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real LoRA for the tiny Wan transformer, made with peft and saved as diffusers writes it."""
    from diffusers import WanPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    from reelgen.core.backends.wan.tiny import tiny_transformer

    transformer = tiny_transformer(seed=0)
    torch.manual_seed(3)
    config = LoraConfig(
        r=4, lora_alpha=8, target_modules=["to_q", "to_k", "to_v", "to_out.0"], init_lora_weights=False
    )
    transformer.add_adapter(config)
    folder = tmp_path_factory.mktemp("wan-lora")
    WanPipeline.save_lora_weights(
        folder,
        transformer_lora_layers=get_peft_model_state_dict(transformer),
        weight_name="style.safetensors",
    )
    return folder / "style.safetensors"


def _request(**fields: Any) -> GenerationRequest:
    return GenerationRequest.model_validate({**SMALL, **fields})


def _resolved(**fields: Any) -> Any:
    return resolved(**{**SMALL, **fields})


def _loaded(name: str) -> Any:
    return loaded(name, **SMALL)


def _generate(runner: Any, progress: Progress | None = None, **fields: Any) -> np.ndarray:
    return run(runner, progress, **{**SMALL, **fields})


CASES = [
    ("wan-tiny", {}),
    ("wan-tiny", {"task": "v2v", "source_video": "video", "source_strength": 0.5}),
    ("wan-i2v-tiny", {"start_image": "start"}),
    ("wan-i2v-tiny", {"start_image": "start", "end_image": "end"}),
    ("wan22-tiny", {}),
]


@pytest.mark.parametrize(("name", "fields"), CASES, ids=["t2v", "v2v", "i2v", "i2v-first-last", "wan22-t2v"])
def test_every_tiny_task_renders_the_requested_clip(
    name: str, fields: dict[str, Any], inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    fields = {
        k: inputs.get(v, v) if k in ("start_image", "end_image", "source_video") else v
        for k, v in fields.items()
    }
    result = render(_resolved(model=name, **fields), tmp_path / "out.mp4", cache=cache)
    info = probe(result.path)
    assert (info["frames"], info["width"], info["height"]) == (5, 48, 32)
    assert info["fps"] == pytest.approx(12.0)
    assert result.video.frames.std() > 0


def test_same_seed_repeats_and_another_seed_differs(cache: ModelCache, tmp_path: Path) -> None:
    first = render(_resolved(model="wan-tiny", seed=5), tmp_path / "a.mp4", cache=cache).video.frames
    again = render(_resolved(model="wan-tiny", seed=5), tmp_path / "b.mp4", cache=cache).video.frames
    other = render(_resolved(model="wan-tiny", seed=6), tmp_path / "c.mp4", cache=cache).video.frames
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_frame_count_off_the_4k_plus_1_lattice_names_the_neighbours() -> None:
    with pytest.raises(InvalidRequest, match="77 or 81") as err:
        _resolved(model="wan-tiny", num_frames=80)
    assert err.value.param == "num_frames"


def test_width_not_a_multiple_of_16_names_the_nearest_valid() -> None:
    with pytest.raises(InvalidRequest, match="64 or 80") as err:
        _resolved(model="wan-tiny", width=70)
    assert err.value.param == "width"


def test_ti2v_5b_needs_multiples_of_32() -> None:
    with pytest.raises(InvalidRequest, match="multiple of 32"):
        _resolved(model="wan22-ti2v-5b", width=1280, height=720, num_frames=121)


def test_i2v_without_a_start_image_says_so() -> None:
    with pytest.raises(InvalidRequest, match="start image") as err:
        _resolved(model="wan-i2v-tiny", task="i2v")
    assert err.value.param == "start_image"


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"model": "wan-tiny", "guidance_2": 2.0}, "guidance_2"),
        ({"model": "wan-1.3b", "options": {"boundary_ratio": 0.5}}, "options.boundary_ratio"),
        ({"model": "wan-flf2v", "start_image": "start", "width": 1280, "height": 720}, "end_image"),
        (
            {
                "model": "wan22-ti2v-5b",
                "start_image": "start",
                "end_image": "end",
                "width": 1280,
                "height": 704,
            },
            "end_image",
        ),
        (
            {"model": "wan-tiny", "task": "v2v", "source_video": "video", "source_strength": 0.2, "steps": 2},
            "source_strength",
        ),
    ],
    ids=[
        "guidance_2-one-expert",
        "boundary-one-expert",
        "flf2v-needs-end",
        "ti2v-no-end",
        "v2v-no-steps-left",
    ],
)
def test_wan_specific_requests_are_refused_with_the_field(
    fields: dict[str, Any], param: str, inputs: dict[str, str]
) -> None:
    fields = {k: inputs.get(v, v) if isinstance(v, str) and k != "model" else v for k, v in fields.items()}
    with pytest.raises(InvalidRequest) as err:
        _resolved(**fields)
    assert err.value.param == param


def test_video_to_video_keeps_the_pace_of_a_source_at_another_rate(tmp_path: Path) -> None:
    from reelgen.core.backends.source_clip import source_frames

    # A 30 fps clip whose frame i is grey level 6i, restyled at 8 fps: each output frame shows the
    # source frame of its own time (0, 3.75, 7.5 ... frames in), not the next frame of the source,
    # which played 30 fps of motion at 8 (almost four times slower).
    levels = np.arange(40) * 6
    clip = np.broadcast_to(levels[:, None, None, None], (40, 32, 48, 3)).astype(np.uint8)
    write_video(Video(np.ascontiguousarray(clip), Fraction(30)), tmp_path / "fast.mp4")
    fast = str(tmp_path / "fast.mp4")
    request = _resolved(model="wan-tiny", task="v2v", source_video=fast, num_frames=9, fps=8.0)
    frames = source_frames(request, registry.resolve("wan-tiny")[0].rules)
    shown = [round(float(np.asarray(f.convert("L")).mean()) / 6) for f in frames]
    assert shown == [0, 3, 7, 11, 15, 18, 22, 26, 30]


def test_wan22_runs_both_experts_and_honours_boundary_and_guidance_2() -> None:
    backend = _loaded("wan22-tiny")
    calls = {"transformer": 0, "transformer_2": 0}
    for name in calls:
        module = getattr(backend.pipe, name)
        module.register_forward_hook(lambda *_, n=name: calls.__setitem__(n, calls[n] + 1))
    base = _generate(backend)
    assert calls["transformer"] > 0 and calls["transformer_2"] > 0  # high-noise then low-noise expert
    assert not np.array_equal(base, _generate(backend, guidance_2=1.5))
    calls.update(transformer=0, transformer_2=0)
    _generate(backend, options={"boundary_ratio": 0.1})  # the high-noise expert keeps every step
    assert calls["transformer"] > 0 and calls["transformer_2"] == 0


def test_lora_changes_the_video_and_is_hashed_into_both_experts(lora_file: Path) -> None:
    backend = _loaded("wan22-tiny")
    plain = _generate(backend)
    styled = _generate(backend, loras=[{"path": str(lora_file), "strength": 1.0}])
    assert not np.array_equal(plain, styled)
    assert backend.lora_records == [
        {"path": str(lora_file), "strength": 1.0, "sha256": sha256_file(lora_file)}
    ]
    assert backend.pipe.get_list_adapters() == {"transformer": ["lora_0"], "transformer_2": ["lora_0"]}
    assert np.array_equal(plain, _generate(backend))  # the next request without it is clean again


def test_missing_lora_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="does not exist") as err:
        _resolved(model="wan-tiny", loras=[{"path": str(tmp_path / "nope.safetensors")}])
    assert err.value.param == "loras[0].path"


def test_progress_reports_each_step_with_previews_and_cancel_stops_it() -> None:
    backend = _loaded("wan-tiny")
    events: list[ProgressEvent] = []
    _generate(backend, Progress(on_event=events.append, preview_every=1), steps=3)
    denoise = [e for e in events if e.stage == "denoise"]
    assert [e.step for e in denoise] == [0, 1, 2, 3]
    assert denoise[-1].preview is not None and denoise[-1].preview.shape[-1] == 3

    progress = Progress()
    progress.on_event = lambda e: progress.cancel.cancel() if e.step == 1 else None
    with pytest.raises(Cancelled):
        _generate(backend, progress, steps=3)


def test_single_file_transformer_loads_with_its_base_folder_and_refuses_without(tmp_path: Path) -> None:
    from diffusers import WanTransformer3DModel
    from safetensors.torch import save_file

    spec, preset = registry.resolve("wan-tiny")
    folder = locate(spec, preset).path
    weights = WanTransformer3DModel.from_pretrained(folder / "transformer").state_dict()
    single = tmp_path / "wan-tiny.safetensors"
    save_file({k: v.contiguous() for k, v in weights.items()}, str(single))
    plan = spec.plan(preset, _resolved(model="wan-tiny"), device_info("cpu"), None)

    from_file, from_folder = WanRunner(spec, preset), _loaded("wan-tiny")
    from_file.load(WeightSource("single_file", single, base=folder), plan)
    assert np.array_equal(_generate(from_file), _generate(from_folder))
    with pytest.raises(InvalidRequest, match="reelgen pull") as err:
        WanRunner(spec, preset).load(WeightSource("single_file", single), plan)
    assert err.value.param == "weights"


def test_memory_estimate_grows_with_the_clip_and_plans_offload_for_14b_on_24_gib() -> None:
    spec, preset = registry.resolve("wan-14b")
    r480 = resolved(model="wan-14b", width=832, height=480)
    r720 = resolved(model="wan-14b")
    assert spec.working_gib(preset, r720) > spec.working_gib(preset, r480) > 1.0
    plan = spec.plan(preset, r720, DeviceInfo("cuda:0", "RTX 4090", 24.0, 23.0), None)
    assert plan.strategy != "gpu"


def test_full_size_config_is_wan_2_1_1_3b() -> None:
    parts = full_random_parts("meta")
    params = sum(p.numel() for p in parts["transformer"].parameters())
    assert 1.40e9 < params < 1.44e9  # Wan2.1-T2V-1.3B: 1.42e9 parameters
    assert parts["transformer"].config.num_layers == 30
    text = parts["text_encoder"].config
    assert (text.d_model, text.num_layers, text.vocab_size) == (4096, 24, 256384)
    assert parts["vae"].config.z_dim == 16


def test_random_fill_for_benchmarks_is_non_zero_finite_and_keeps_rope_tables() -> None:
    from accelerate import init_empty_weights
    from diffusers import WanTransformer3DModel

    from reelgen.core.backends.wan.tiny import fill_random, tiny_transformer

    reference = tiny_transformer()
    with init_empty_weights(include_buffers=False):
        model: Any = WanTransformer3DModel(**reference.config)
    fill_random(model, "cpu")
    assert all(p.abs().sum() > 0 for p in model.parameters())  # zeros would run faster than data
    assert "rope.freqs_cos" in dict(model.named_buffers())
    for (name, buffer), (_, expected) in zip(model.named_buffers(), reference.named_buffers(), strict=True):
        assert torch.equal(buffer, expected), name
    with torch.inference_mode():
        out = model(
            hidden_states=torch.randn(1, 16, 2, 8, 8),
            timestep=torch.tensor([500.0]),
            encoder_hidden_states=torch.randn(1, 8, 32),
            return_dict=False,
        )[0]
    assert out.shape == (1, 16, 2, 8, 8) and torch.isfinite(out).all()


# ---- Wan VACE ------------------------------------------------------------------------------------

VACE_CASES = [
    ({}, "t2v"),
    ({"reference_images": ["start"]}, "t2v-reference"),
    ({"start_image": "start"}, "i2v"),
    ({"start_image": "start", "end_image": "end", "reference_images": ["end", "start"]}, "first-last"),
    ({"keyframes": [{"image": "end", "frame": 4}]}, "keyframes"),
    ({"task": "extend", "source_video": "video"}, "extend"),
]


def _vace_fields(fields: dict[str, Any], inputs: dict[str, str]) -> dict[str, Any]:
    out = {**SMALL, "model": "wan-vace-tiny", **fields}
    for key in ("start_image", "end_image", "source_video"):
        if key in out:
            out[key] = inputs[out[key]]
    out["reference_images"] = [inputs[r] for r in out.get("reference_images", [])]
    out["keyframes"] = [{**k, "image": inputs[k["image"]]} for k in out.get("keyframes", [])]
    return out


def test_every_vace_task_renders_the_clip_asked_for(
    inputs: dict[str, str], cache: ModelCache, tmp_path: Path
) -> None:
    clips = {}
    for fields, name in VACE_CASES:
        result = render(resolved(**_vace_fields(fields, inputs)), tmp_path / f"{name}.mp4", cache=cache)
        assert (result.video.num_frames, result.video.width, result.video.height) == (5, 48, 32), name
        clips[name] = result.video.frames
    # Same seed and prompt: reference images ride along as extra latent frames and change the clip.
    assert not np.array_equal(clips["t2v-reference"], clips["t2v"])


def test_vace_gets_each_image_where_the_request_puts_it(
    inputs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tiny random VAE barely sees its input, so this checks what VACE is handed, not its pixels."""
    runner = _loaded("wan-vace-tiny")
    seen: list[dict[str, Any]] = []
    original = runner.call

    def spy(pipe: Any, kwargs: dict[str, Any], tracker: Any) -> Any:
        seen.append(kwargs)
        return original(pipe, kwargs, tracker)

    monkeypatch.setattr(runner, "call", spy)
    start = np.asarray(Image.open(inputs["start"]).convert("RGB").resize((48, 32))).astype(int)
    fields = {"start_image": "start", "end_image": "end", "reference_images": ["end", "start"]}
    runner.generate(resolved(**_vace_fields(fields, inputs)), Progress())
    keyframes = [{"image": "end", "frame": 3}, {"image": "start", "frame": 1, "strength": 0.8}]
    runner.generate(resolved(**_vace_fields({"keyframes": keyframes}, inputs)), Progress())
    first_last, keyframe = seen
    assert [m.getpixel((0, 0)) for m in first_last["mask"]] == [0, 255, 255, 255, 0]
    assert np.abs(np.asarray(first_last["video"][0]).astype(int) - start).mean() < 20
    assert np.asarray(first_last["video"][2]).std() == 0  # a grey placeholder to be made
    assert len(first_last["reference_images"]) == 2
    assert [m.getpixel((0, 0)) for m in keyframe["mask"]] == [255, 51, 255, 0, 255]  # 0.8: kept, less firmly
    assert "reference_images" not in keyframe


def _masked(conditions: dict[str, Any]) -> list[int]:
    return [m.getpixel((0, 0)) for m in conditions["mask"]]


def _near(frame: Any, path: str) -> bool:
    wanted = np.asarray(Image.open(path).convert("RGB").resize((48, 32))).astype(int)
    return bool(np.abs(np.asarray(frame).astype(int) - wanted).mean() < 20)


def test_vace_keeps_a_start_and_an_end_image_beside_keyframes(inputs: dict[str, str]) -> None:
    """--image and --end-image with --keyframe: the keyframes set the task, and VACE read only them."""
    from reelgen.core.backends.wan import vace

    keys = [{"image": "end", "frame": 2}]
    with_start = resolved(**_vace_fields({"start_image": "start", "keyframes": keys}, inputs))
    assert with_start.task is Task.KEYFRAMES
    conditions, _ = vace.conditions(with_start, None)
    assert _masked(conditions) == [0, 255, 0, 255, 255]  # the start image is kept as frame 0
    assert _near(conditions["video"][0], inputs["start"]) and _near(conditions["video"][2], inputs["end"])
    with_end = resolved(**_vace_fields({"end_image": "end", "keyframes": keys}, inputs))
    conditions, _ = vace.conditions(with_end, None)
    assert _masked(conditions) == [255, 255, 0, 255, 0]  # the end image is kept as the last frame
    assert _near(conditions["video"][4], inputs["end"])
    # An end image alone is the last frame to reach, as LTX-Video takes it.
    conditions, _ = vace.conditions(resolved(**_vace_fields({"end_image": "end"}, inputs)), None)
    assert _masked(conditions) == [255, 255, 255, 255, 0]


def test_vace_extend_sees_the_end_of_the_clip_and_returns_only_new_frames(inputs: dict[str, str]) -> None:
    from reelgen.core.backends.wan import vace

    request = resolved(**_vace_fields({"task": "extend", "source_video": "video"}, inputs))
    conditions, drop = vace.conditions(request, None)
    assert drop == 8 and conditions["num_frames"] == 8 + 5  # 4k+1 frames in all; 5 of them new
    assert [m.getpixel((0, 0)) for m in conditions["mask"]] == [0] * 8 + [255] * 5
    source = read_video(inputs["video"]).frames[-8:]
    kept = np.asarray(conditions["video"][0]).astype(int)
    fitted = np.asarray(Image.fromarray(source[0]).resize((48, 32)))
    assert np.abs(kept.mean((0, 1)) - fitted.mean((0, 1))).max() < 12  # the clip's own frame, fitted
    shorter = resolved(
        **_vace_fields({"task": "extend", "source_video": "video"}, inputs),
        options={"extend_context_frames": 4},
    )
    assert vace.conditions(shorter, 4)[1] == 4


def test_reference_images_are_refused_by_models_that_cannot_take_them(inputs: dict[str, str]) -> None:
    with pytest.raises(InvalidRequest) as err:
        _resolved(model="wan-tiny", reference_images=[inputs["start"]])
    assert err.value.param == "reference_images"
    assert (
        "wan-tiny cannot take reference images; models that can: wan-vace-1.3b, wan-vace-14b, wan-vace-tiny"
        in (err.value.message)
    )
    with pytest.raises(ValidationError, match="at most 3"):
        GenerationRequest(model="wan-vace-tiny", reference_images=[inputs["start"]] * 4)


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"keyframes": [{"image": "end", "frame": 2, "strength": 0.3}]}, "keyframes[0].strength"),
        (
            {"task": "extend", "source_video": "video", "options": {"extend_context_frames": 6}},
            "options.extend_context_frames",
        ),
        ({"model": "wan-tiny", "options": {"extend_context_frames": 8}}, "options.extend_context_frames"),
        ({"reference_images": ["missing.png"]}, "reference_images[0]"),
    ],
)
def test_vace_requests_it_cannot_do_name_the_field(
    fields: dict[str, Any], param: str, inputs: dict[str, str]
) -> None:
    fields = dict(fields)
    refs = fields.pop("reference_images", None)
    request = _vace_fields(fields, inputs)
    if refs:
        request["reference_images"] = refs
    with pytest.raises(InvalidRequest) as err:
        resolved(**request)
    assert err.value.param == param
    if param == "keyframes[0].strength":  # not "keyframes[0].strength 0.3: ...", said as "--keyframe 0.3:"
        assert err.value.message.startswith(
            "the keyframe at frame 2 has strength 0.3, and Wan VACE keeps a keyframe (keyframes) only at "
            "strength 0.5 or more"
        )


@pytest.mark.parametrize(("fields", "task"), [({}, "t2v"), ({"start_image": "start"}, "i2v")])
def test_vace_extend_context_outside_extend_is_refused_not_ignored(
    fields: dict[str, Any], task: str, inputs: dict[str, str]
) -> None:
    """VACE reads the context only for extend: on another task the option would be accepted and do nothing."""
    with pytest.raises(InvalidRequest, match=f"only to task extend, and this request is {task}") as err:
        resolved(**_vace_fields(fields, inputs), options={"extend_context_frames": 8})
    assert err.value.param == "options.extend_context_frames"


def test_vace_presets_name_their_checkpoints_and_size() -> None:
    _, small = registry.resolve("wan-vace-1.3b")
    _, large = registry.resolve("wan-vace-14b")
    assert (small.repo_id, large.repo_id) == (
        "Wan-AI/Wan2.1-VACE-1.3B-diffusers",
        "Wan-AI/Wan2.1-VACE-14B-diffusers",
    )
    assert small.reference_images == large.reference_images == 3
    assert Task.EXTEND in small.tasks and Task.V2V not in small.tasks
    assert large.vram_gib > small.vram_gib > registry.resolve("wan-1.3b")[1].vram_gib


def _walk(side: int, tile: int, stride: int) -> list[tuple[int, int]]:
    """The pixel spans diffusers' tiled decode takes along one side (tiles start every ``stride``)."""
    return [(start, min(side, start + tile)) for start in range(0, side, stride)]


@pytest.mark.parametrize("room", [2.0, 3.0, 4.5, 6.0, 8.0])
def test_vae_tiles_cover_the_frame_and_grow_with_the_room(room: float) -> None:
    from reelgen.core.backends.wan import tiles as wt

    tiles = wt.vae_tiles(832, 480, 81, room)
    assert tiles is not None
    tile_h, tile_w, stride_h, stride_w = tiles
    assert all(v % 8 == 0 for v in tiles) and tile_h >= stride_h and tile_w >= stride_w
    for side, tile, stride in ((480, tile_h, stride_h), (832, tile_w, stride_w)):
        spans = _walk(side, tile, stride)
        assert spans[-1][1] == side  # the last tile reaches the edge
        # Neighbours overlap (the seam is blended), or one tile takes the whole side.
        assert len(spans) == 1 or all(b[0] < a[1] for a, b in zip(spans, spans[1:], strict=False))
    if tiles != wt.DEFAULT_TILES:
        clip = 81 * 832 * 480 * 12 / 2**30
        assert 0.5 + 2 * clip + tile_h * tile_w * wt.VAE_GIB_PER_TILE_PIXEL <= room
    more = wt.vae_tiles(832, 480, 81, room + 2.0)
    fewer = lambda t: len(_walk(480, t[0], t[2])) * len(_walk(832, t[1], t[3]))  # noqa: E731
    assert more is None or fewer(more) <= fewer(tiles)


def test_vae_tiles_leave_a_frame_that_fits_untiled_and_keep_diffusers_tiles_when_nothing_fits() -> None:
    from reelgen.core.backends.wan import tiles as wt

    assert wt.vae_tiles(832, 480, 81, 12.0) is None  # 8.8 GiB measured untiled, with the clip's copies
    assert wt.vae_tiles(832, 480, 81, 0.5) == wt.DEFAULT_TILES == (256, 256, 192, 192)


def test_a_6_gib_plan_for_wan_1_3b_tiles_its_decode_in_four_pieces_not_fifteen() -> None:
    from reelgen.core.backends.wan import tiles as wt

    spec, preset = registry.resolve("wan-1.3b")
    request = resolved(model="wan-1.3b", width=832, height=480, num_frames=81, guidance=5.0)
    plan = spec.plan(preset, request, DeviceInfo("cuda:0", "H200", 140.0, 140.0), 6.0)
    assert plan.vae_tiling and plan.room_gib is not None and plan.room_gib < 6.0
    tiles = wt.vae_tiles(832, 480, 81, plan.room_gib)
    assert tiles is not None
    assert len(_walk(480, tiles[0], tiles[2])) * len(_walk(832, tiles[1], tiles[3])) == 4
    assert len(_walk(480, 256, 192)) * len(_walk(832, 256, 192)) == 15  # diffusers' default tiles


def test_a_tiling_plan_decodes_with_the_tiles_its_room_holds() -> None:
    from reelgen.core.backends.wan import tiles as wt
    from reelgen.core.spec.memory import MemoryPlan

    spec, preset = registry.resolve("wan-tiny")
    # The smallest frame Wan's tiles split (two 16-latent tiles across): the claim is the same at any size.
    fields = {**SMALL, "width": 256, "height": 128, "num_frames": 5}
    frames: dict[str, np.ndarray] = {}
    for name, room in (("untiled", 50.0), ("tiled", 1.1)):
        runner = WanRunner(spec, preset)
        runner.load(
            locate(spec, preset),
            MemoryPlan("cpu", "cpu", "float32", None, 0.0, vae_tiling=True, room_gib=room),
        )
        frames[name] = run(runner, **fields)
        vae = runner.pipe.vae
        if name == "untiled":
            assert runner.vae_tiles is None and not vae.use_tiling
        else:
            assert runner.vae_tiles == wt.vae_tiles(256, 128, 5, room) and runner.vae_tiles is not None
            assert vae.use_tiling and vae.tile_sample_min_width == runner.vae_tiles[1] < 256
    assert frames["tiled"].shape == frames["untiled"].shape == (5, 128, 256, 3)
    assert not np.array_equal(frames["tiled"], frames["untiled"])  # the decode did run in tiles


def test_a_decode_out_of_memory_in_the_chosen_tiles_decodes_again_in_diffusers_tiles() -> None:
    from reelgen.core.backends.wan import tiles as wt
    from reelgen.core.spec.memory import MemoryPlan

    spec, preset = registry.resolve("wan-tiny")
    runner = WanRunner(spec, preset)
    plan = MemoryPlan("cpu", "cpu", "float32", None, 0.0, vae_tiling=True, room_gib=1.1)
    runner.load(locate(spec, preset), plan)
    vae, real = runner.pipe.vae, runner.pipe.vae.tiled_decode
    widths: list[int] = []
    latents: list[torch.Tensor] = []

    def tight(z: torch.Tensor, return_dict: bool = True) -> Any:  # room for diffusers' small tiles only
        widths.append(vae.tile_sample_min_width)
        latents.append(z)
        if vae.tile_sample_min_width != wt.VAE_TILE:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(z, return_dict=return_dict)

    vae.tiled_decode = tight
    # Wider than diffusers' 256-pixel tile, so its own tiles still decode in tiles.
    frames = run(runner, **{**SMALL, "width": 320, "height": 128, "num_frames": 5})
    assert frames.shape == (5, 128, 320, 3)  # the run finished, without a step down
    assert widths == [224, wt.VAE_TILE] and runner.vae_tiles == wt.DEFAULT_TILES

    def broke(z: torch.Tensor, return_dict: bool = True) -> Any:
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 1.00 GiB")

    # In diffusers' own tiles there is nothing smaller: the error goes up, and render steps down a rung.
    vae.tiled_decode = broke
    with pytest.raises(torch.OutOfMemoryError):
        vae.decode(latents[0])


def test_a_task_the_model_lacks_names_the_models_of_its_family_that_do_it() -> None:
    """-m takes a model: "Families that do i2v: ... wan" left a person to find which Wan model does."""
    with pytest.raises(UnsupportedTask) as caught:
        resolved(model="wan-tiny", prompt="a fox", task="i2v")
    assert "Wan models that do i2v: wan-i2v-tiny, wan-vace-tiny. Families that do i2v:" in str(caught.value)
    with pytest.raises(UnsupportedTask) as caught:
        resolved(model="wan-1.3b", prompt="a fox", task="keyframes")
    assert "Wan models that do keyframes: wan-vace-1.3b, wan-vace-14b." in str(caught.value)

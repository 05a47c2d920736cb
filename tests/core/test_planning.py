"""Memory plans: the fastest rung that fits the card, stepping down the ladder, and the size rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec import resolve
from reelgen.core.spec.memory import DeviceInfo, next_rung, plan_memory
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.spec.rules import SizeRules

WAN_14B = {"transformer": 28.6, "text_encoder": 11.4, "vae": 0.5}


def gpu(free: float) -> DeviceInfo:
    return DeviceInfo("cuda:0", "GPU", free, free)


@pytest.mark.parametrize(
    ("free", "strategy"),
    [
        (80.0, "gpu"),
        (40.0, "text_offload"),
        (34.5, "model_offload"),
        (24.0, "group_offload"),
        (4.0, "sequential_offload"),
    ],
)
def test_plan_picks_the_fastest_rung_that_fits(free: float, strategy: str) -> None:
    plan = plan_memory(WAN_14B, working_gib=2.0, device=gpu(free))
    assert plan.strategy == strategy
    assert plan.need_gib <= free or strategy == "sequential_offload"
    assert strategy in plan.describe()


def test_the_plan_names_a_budget_only_when_there_is_one() -> None:
    cpu = plan_memory({"transformer": 1.0}, 1.0, DeviceInfo("cpu", "CPU", None, None)).describe()
    assert "(float32; needs ~3.0 GiB): no CUDA GPU" in cpu and "budget" not in cpu
    assert "GiB of 24.0 GiB)" in plan_memory(WAN_14B, 2.0, gpu(80.0), budget_gib=24.0).describe()


def test_a_cpu_plan_says_whether_the_cpu_was_asked_for_or_there_is_no_gpu() -> None:
    # --device cpu on a machine with a GPU read "no CUDA GPU", which sent people looking for a broken driver.
    chosen = plan_memory({"transformer": 1.0}, 1.0, DeviceInfo("cpu", "CPU", None, None, gpus=1))
    assert (
        chosen.reason == "the CPU was asked for (this machine has 1 CUDA GPU); running on the CPU in float32"
    )
    two = plan_memory({"transformer": 1.0}, 1.0, DeviceInfo("cpu", "CPU", None, None, gpus=2), budget_gib=4.0)
    assert two.reason.startswith("the CPU was asked for (this machine has 2 CUDA GPUs); running on the CPU")
    assert two.reason.endswith("a VRAM budget (4 GiB) plans GPU memory, so it is not used")
    none = plan_memory({"transformer": 1.0}, 1.0, DeviceInfo("cpu", "CPU", None, None))
    assert none.reason == "no CUDA GPU; running on the CPU in float32"


def test_text_encoders_stream_so_a_card_smaller_than_t5_keeps_the_denoiser_resident() -> None:
    ltx = {"transformer": 3.8, "text_encoder": 9.2, "vae": 0.9}
    plan = plan_memory(ltx, 1.0, gpu(12.0))
    assert plan.strategy == "text_offload"
    assert plan.need_gib < 3.8 + 0.9 + 1.0 + 0.05 * 9.2 + 0.01  # denoiser, VAE, work, two T5 layers
    # Below that, the denoiser streams too; T5 is never on the card whole.
    assert plan_memory(ltx, 1.0, gpu(6.0)).strategy == "group_offload"
    # A model without a text encoder has no text_offload rung to stop at.
    assert plan_memory({"unet": 2.8, "vae": 0.2}, 0.5, gpu(3.8)).strategy == "model_offload"


def test_vae_tiling_shrinks_the_activation_peak_not_the_weights() -> None:
    # A family without its own tiled estimate gets the generic discount on its activations only:
    # with LTX-like parts and a decode that size, 6 GiB leaves only sequential offload.
    ltx = {"transformer": 3.58, "text_encoder": 9.2, "vae": 2.32}
    plan = plan_memory(ltx, 5.1, gpu(6.0))
    assert plan.strategy == "sequential_offload" and plan.vae_tiling
    assert plan.need_gib == pytest.approx(0.05 * 9.2 + 0.5 * 5.1 * 0.6)


def test_wan_tiled_decode_is_bounded_by_its_tile_so_wan_13b_streams_blocks_in_6_gib() -> None:
    # Measured on an H200 capped at 6 GiB: wan-1.3b at 832x480x81 under group offload with VAE tiling
    # peaked at 2.87 GiB; the frame-sized decode estimate had sent it to sequential offload (18x slower).
    from reelgen.core.backends.wan.presets import tiled_working_gib, working_gib
    from reelgen.core.spec import registry

    request = resolve(GenerationRequest(model="wan-1.3b", width=832, height=480, num_frames=81))
    family, preset = registry.resolve("wan-1.3b")[:2]
    plan = family.plan(preset, request, gpu(80.0), 6.0)
    assert (plan.strategy, plan.vae_tiling) == ("group_offload", True)
    assert 2.87 <= plan.need_gib <= 6.0 * 0.9
    # The tile, not the frame, bounds the decode: untiled it would not fit 6 GiB at any rung but the last.
    assert working_gib(preset, request) > 6.0 > tiled_working_gib(preset, request)
    # A frame no bigger than one tile gains nothing from tiling.
    small = resolve(GenerationRequest(model="wan-1.3b", width=256, height=256, num_frames=81))
    assert tiled_working_gib(preset, small) == working_gib(preset, small)


def test_ltx_2b_tiles_its_decode_in_time_and_streams_blocks_in_6_gib() -> None:
    # Measured on an H200 capped at 6 GiB (run 3): ltx-2b at 768x512x121 under group offload, its VAE
    # tiled in space and time, peaked at 3.82 GiB; unconstrained it plans the GPU rung (21.45 measured).
    from reelgen.core.spec import registry

    request = resolve(GenerationRequest(model="ltx-2b", width=768, height=512, num_frames=121, steps=8))
    family, preset = registry.resolve("ltx-2b")[:2]
    plan = family.plan(preset, request, gpu(80.0), 6.0)
    assert (plan.strategy, plan.vae_tiling) == ("group_offload", True)
    assert 3.82 <= plan.need_gib <= 6.0 * 0.9
    whole = family.plan(preset, request, gpu(80.0), None)
    assert whole.strategy == "gpu" and abs(whole.need_gib - 21.45) / 21.45 < 0.1


def test_a_rung_that_fits_only_with_cfg_passes_one_at_a_time_runs_them_so() -> None:
    # Measured on an H200 capped at 12 GiB: wan-14b at 1280x720x81 under group offload ran out of
    # memory in its first step with CFG batched (RoPE of 2 x 75,600 tokens, 10.5 GiB allocated).
    batched, split = (9.0, 8.0), (5.0, 4.0)
    plan = plan_memory(WAN_14B, batched[0], gpu(12.0), tiled_working_gib=batched[1], split_working_gib=split)
    assert (plan.strategy, plan.cfg_batch) == ("group_offload", False)
    assert "CFG passes one at a time" in plan.describe()
    # Without the split estimate the same budget would fall to sequential offload, layer by layer.
    assert plan_memory(WAN_14B, batched[0], gpu(12.0), tiled_working_gib=batched[1]).strategy == (
        "sequential_offload"
    )
    # Where the batched peak fits, the passes are batched.
    roomy = plan_memory(WAN_14B, batched[0], gpu(24.0), tiled_working_gib=batched[1], split_working_gib=split)
    assert (roomy.strategy, roomy.cfg_batch) == ("group_offload", True)


def test_wan_14b_in_12_gib_streams_blocks_one_cfg_pass_at_a_time() -> None:
    from reelgen.core.spec import registry

    request = resolve(GenerationRequest(model="wan-14b", width=1280, height=720, num_frames=81))
    family, preset = registry.resolve("wan-14b")[:2]
    plan = family.plan(preset, request, gpu(80.0), 12.0, rungs=("group_offload",))
    assert (plan.strategy, plan.vae_tiling, plan.cfg_batch) == ("group_offload", True, False)
    # Without guidance there is only one pass: nothing to split.
    single = resolve(GenerationRequest(model="wan-14b", width=1280, height=720, num_frames=81, guidance=1))
    assert family.plan(preset, single, gpu(80.0), 12.0, rungs=("group_offload",)).cfg_batch
    # Unconstrained on an H200 the tiled gpu plan is sized with the tiled decode (measured peak 50.5 GiB).
    h200 = family.plan(preset, request, gpu(139.3), None)
    assert (h200.strategy, h200.vae_tiling) == ("gpu", True) and 50.5 * 0.9 <= h200.need_gib <= 50.5 * 1.1


def test_a_cpu_plan_counts_the_weights_in_float32() -> None:
    """The CPU runs in float32, so bf16-sized parts take twice their size there."""
    cpu = DeviceInfo("cpu", "CPU", None, None)
    plan = plan_memory({"transformer": 3.0, "vae": 1.0}, 0.5, cpu, dtype="bfloat16")
    assert (plan.strategy, plan.dtype, plan.need_gib) == ("cpu", "float32", 8.5)
    assert plan_memory({"unet": 3.0}, 0.5, cpu, dtype="float32").need_gib == 3.5


@pytest.mark.parametrize(
    ("cgroup_max", "expected_gib"),
    [(None, 20.0), ("max\n", 20.0), (f"{8 * 2**30}\n", 6.0)],
    ids=["host", "no-limit", "limited"],
)
def test_free_ram_is_the_hosts_or_less_under_a_container_limit(
    monkeypatch: pytest.MonkeyPatch, cgroup_max: str | None, expected_gib: float
) -> None:
    from reelgen.core import host_memory

    files = {
        "/proc/meminfo": f"MemTotal:       {64 * 2**20} kB\nMemAvailable:   {20 * 2**20} kB\n",
        "/sys/fs/cgroup/memory.max": cgroup_max,
        "/sys/fs/cgroup/memory.current": f"{2 * 2**30}\n",
    }
    monkeypatch.setattr(host_memory, "_read", files.get)
    assert host_memory.host_available_gib() == pytest.approx(expected_gib)
    monkeypatch.setattr(host_memory, "_read", lambda path: None)  # not Linux: unknown, so never refused
    assert host_memory.host_available_gib() is None


def test_budget_overrides_free_vram() -> None:
    assert plan_memory(WAN_14B, 2.0, gpu(80.0), budget_gib=24.0).strategy != "gpu"


def test_large_activation_turns_on_vae_tiling() -> None:
    plan = plan_memory({"transformer": 3.0}, working_gib=10.0, device=gpu(24.0))
    assert plan.vae_tiling and plan.vae_slicing


def test_a_plan_says_how_much_room_its_rung_leaves_the_activations() -> None:
    ltx = {"transformer": 3.8, "text_encoder": 9.2, "vae": 0.9}
    streamed = plan_memory(ltx, 1.0, gpu(12.0))  # text_offload: the denoiser and VAE resident
    assert streamed.room_gib == pytest.approx(12.0 * 0.9 - (3.8 + 0.9 + 0.05 * 9.2), abs=0.01)
    assert streamed.need_gib <= 12.0 * 0.9 and streamed.room_gib >= 1.0  # the activations fit in it
    resident = plan_memory(ltx, 1.0, gpu(80.0))
    assert resident.strategy == "gpu" and resident.room_gib == pytest.approx(72.0 - 13.9, abs=0.01)
    # After an out-of-memory step down the estimate has failed: no room is claimed.
    lower = next_rung(streamed)
    assert lower is not None and lower.room_gib is None
    assert plan_memory(ltx, 1.0, DeviceInfo("cpu", "CPU", None, None)).room_gib is None


def test_ladder_steps_down_once_per_call_and_stops_at_the_bottom() -> None:
    plan = plan_memory(WAN_14B, 2.0, gpu(80.0))
    seen = [plan.strategy]
    while (lower := next_rung(plan)) is not None:
        plan = lower
        seen.append(plan.strategy)
        assert plan.vae_tiling and "out of memory" in plan.reason
    assert seen == ["gpu", "text_offload", "model_offload", "group_offload", "sequential_offload"]
    # Without a text encoder, text_offload would place everything as gpu does: it is skipped.
    no_text = {"transformer": 10.0, "vae": 1.0}
    lower = next_rung(plan_memory(no_text, 2.0, gpu(80.0)), no_text)
    assert lower is not None and lower.strategy == "model_offload"


def test_cpu_plan_runs_in_float32_with_no_ladder() -> None:
    plan = plan_memory(WAN_14B, 2.0, DeviceInfo("cpu", "CPU", None, None))
    assert (plan.strategy, plan.dtype) == ("cpu", "float32")
    assert next_rung(plan) is None


@pytest.mark.parametrize(("steps", "least"), [(2, 0.5), (3, 0.34), (7, 0.15), (50, 0.02), (1000, 0.01)])
def test_a_v2v_strength_too_weak_for_a_step_is_told_one_that_runs(
    tmp_path: Path, steps: int, least: float
) -> None:
    # With 3 steps it said "use source_strength >= 0.33", and 0.33 x 3 steps was refused in turn.
    clip = tmp_path / "clip.gif"
    frames = [Image.new("RGB", (64, 64), (i * 20, 0, 0)) for i in range(9)]
    frames[0].save(clip, save_all=True, append_images=frames[1:], duration=125)
    fields = {"model": "wan-tiny", "prompt": "x", "source_video": str(clip), "steps": steps}
    with pytest.raises(InvalidRequest) as refused:
        resolve(GenerationRequest(**fields, source_strength=0.0001))
    assert refused.value.message.endswith(f"raise it to {least:.2f} or more, or use more steps")
    assert resolve(GenerationRequest(**fields, source_strength=least)).source_strength == least


@pytest.mark.parametrize(
    ("width", "height", "frames", "message"),
    [
        (500, 512, 9, "width 500 is not a multiple of 32 (LTX); nearest valid: 480 or 512"),
        (512, 16, 9, "height 16 is outside 32..2048 (LTX)"),
        (512, 512, 10, "num_frames: 10 frames is not 8k+1 (LTX); nearest valid: 9 or 17"),
        (512, 512, 300, "num_frames: 300 frames is outside 1..257 (LTX)"),
    ],
)
def test_rules_name_the_nearest_valid_values(width: int, height: int, frames: int, message: str) -> None:
    rules = SizeRules(label="LTX", multiple=32, frame_step=8, frame_offset=1, max_frames=257)
    with pytest.raises(InvalidRequest) as info:
        rules.check_size(width, height)
        rules.check_frames(frames)
    assert str(info.value) == message


def test_seconds_round_up_to_a_valid_frame_count() -> None:
    rules = SizeRules(label="Wan", multiple=16, frame_step=4, frame_offset=1)
    assert rules.snap_frames(80) == 81 and rules.snap_frames(81) == 81 and rules.snap_frames(82) == 85


def test_seconds_longer_than_the_longest_clip_are_refused_naming_its_length() -> None:
    rules = SizeRules(label="reelgen-micro", frame_step=8, frame_offset=1, max_frames=129)
    assert rules.frames_for_seconds(10, 12) == 121
    assert rules.frames_for_seconds(10.75, 12) == 129
    with pytest.raises(InvalidRequest) as info:
        rules.frames_for_seconds(30, 12)
    assert info.value.param == "seconds"
    assert "at most 129 frames, 10.75 s at 12 fps" in str(info.value)
    # Past the longest count, snapping keeps the longest (windows of long scenes rely on it).
    assert rules.snap_frames(400) == 129


def test_a_request_for_more_seconds_than_the_model_makes_is_refused_not_shortened() -> None:
    with pytest.raises(InvalidRequest) as info:
        resolve(GenerationRequest(model="reelgen-micro", prompt="a red circle", seconds=30))
    assert info.value.param == "seconds" and "at most 129 frames" in str(info.value)


@pytest.mark.parametrize("model", ["ltx-tiny", "wan-tiny"])
def test_progress_events_count_steps_and_carry_small_previews(model: str, tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    progress = Progress(on_event=events.append, preview_every=1)
    render(resolve(GenerationRequest(model=model, steps=3, seed=0)), tmp_path / "p.mp4", progress=progress)
    steps = [e for e in events if e.stage == "denoise"]
    assert [e.step for e in steps] == [0, 1, 2, 3]
    assert all(e.total == 3 for e in steps)
    assert steps[-1].eta_s == 0.0
    previews = [e.preview for e in steps if e.preview is not None]
    assert len(previews) == 3
    frames = previews[-1]
    assert frames.dtype == np.uint8 and frames.ndim == 4 and frames.shape[-1] == 3
    assert frames.std() > 0


def test_a_device_this_machine_lacks_is_refused_with_the_ones_it_has() -> None:
    from reelgen.core.devices import device_info

    with pytest.raises(
        InvalidRequest, match=r"device 'cuda:0' is not on this machine \(no CUDA GPU\); valid: cpu"
    ):
        device_info("cuda:0")
    with pytest.raises(InvalidRequest, match="'gpu0' is not a device name; use cpu, cuda or cuda:N"):
        device_info("gpu0")
    assert device_info("cpu").device == "cpu"


@pytest.mark.parametrize(("model", "strategy"), [("ltx-tiny", "text_offload"), ("wan-tiny", "group_offload")])
def test_streaming_plans_hook_their_parts_and_make_the_same_video(model: str, strategy: str) -> None:
    """On the CPU the hooks copy nothing, but they wrap the same modules a GPU run streams."""
    from dataclasses import replace

    from reelgen.core.backends.placement import apply_plan
    from tests.core.helpers import loaded, run

    fields = dict(prompt="a fox", width=64, height=64, num_frames=9, steps=2, seed=1)
    resident = run(loaded(model), **fields)
    runner: Any = loaded(model)
    apply_plan(runner.pipe, replace(runner.plan, strategy=strategy))

    def streamed(module: Any) -> bool:
        """Whether diffusers' group-offload hooks sit on any of ``module``'s layers."""
        return any(getattr(m, "_diffusers_hook", None) is not None for m in module.modules())

    assert streamed(runner.pipe.text_encoder)
    assert streamed(runner.pipe.transformer) == (strategy == "group_offload")
    assert not streamed(runner.pipe.vae)
    assert np.array_equal(run(runner, **fields), resident)

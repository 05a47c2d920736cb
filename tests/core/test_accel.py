"""The fast path on a machine without FlashAttention-4: the SDPA fallback, CFG batching, the record, switches."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from reelgen.core import accel
from reelgen.core.accel import attention, cfg
from reelgen.core.accel.config import AccelConfig, parse
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from tests.core.helpers import loaded, resolved

WAN = dict(prompt="a fox", negative_prompt="blurry", width=64, height=64, num_frames=9, steps=2, seed=3)


def _gpu_plan(runner: Any) -> Any:
    """The runner's CPU plan relabelled as a GPU plan, so the fast path runs its GPU branch on CPU tensors."""
    return replace(runner.plan, device="cuda:0", strategy="gpu")


def _frames(runner: Any, **fields: Any) -> np.ndarray:
    video = runner.generate(resolved(model=runner.preset.name, **fields), Progress())
    return video.frames.astype(np.float64)


def test_switches_parse_and_unknown_ones_are_refused_with_the_valid_list() -> None:
    assert parse("") == AccelConfig()
    assert parse("off") == AccelConfig.stock()
    config = parse("sdpa, no-compile, fp8")
    assert (config.attention, config.compile, config.lossy) == ("sdpa", False, ("fp8",))
    with pytest.raises(InvalidRequest, match="unknown switch 'turbo'.*fa4") as info:
        parse("turbo")
    assert info.value.param == "REELGEN_ACCEL"
    with pytest.raises(InvalidRequest, match="pick one step cache"):
        parse("taylorseer,first-block-cache")


def test_without_flash_attn_cute_fa4_is_not_chosen_and_the_reason_says_why() -> None:
    attention.fa4_status.cache_clear()
    choice = attention.choose("fa4", "cuda:0", {128})
    assert choice.kernel == "sdpa"
    assert "FlashAttention-4 not used" in choice.reason
    assert attention.choose("sdpa", "cuda:0", {128}).reason.startswith("SDPA asked for")


def test_fa4_refuses_head_sizes_it_has_no_kernel_for(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    attention.fa4_status.cache_clear()
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (9, 0))
    ok, reason = attention.fa4_status("cuda:0", (80,))
    attention.fa4_status.cache_clear()
    assert not ok and "head size 80" in reason


def test_cpu_runs_keep_stock_diffusers_and_say_so_in_the_record() -> None:
    runner: Any = loaded("wan-tiny")
    assert runner.accel_record == {"fast_path": False, "reason": "CPU run: the fast path is for CUDA GPUs"}


def test_fallback_path_matches_stock_and_batches_cfg_into_one_call_per_step() -> None:
    """With FA4 absent the registered backend runs SDPA; batching CFG changes nothing but the call count."""
    runner: Any = loaded("wan-tiny")
    stock = _frames(runner, **WAN)
    runner.plan = _gpu_plan(runner)
    runner.accelerate(AccelConfig(compile=False))
    record = runner.accel_record
    assert record["fast_path"] and record["lossless"] and record["cfg_batched"] is True
    assert record["attention"] in ("sdpa", "sdpa-cudnn")
    assert "FlashAttention-4 not used" in record["attention_reason"]
    calls = []
    handle = runner.pipe.transformer.register_forward_pre_hook(lambda *a: calls.append(1))
    fast = _frames(runner, **WAN)
    handle.remove()
    hook = runner.accel.cfg_hooks[0]
    assert hook.batched == WAN["steps"]  # one batch-2 forward per step instead of two calls
    assert np.abs(fast - stock).max() <= 1.0  # uint8 frames: at most one level of rounding apart


def test_turning_the_fast_path_off_again_restores_stock_behaviour() -> None:
    from diffusers.hooks import HookRegistry

    runner: Any = loaded("wan-tiny")
    runner.plan = _gpu_plan(runner)
    runner.accelerate(AccelConfig(compile=False))
    runner.accelerate(AccelConfig.stock())
    transformer = runner.pipe.transformer
    assert runner.accel_record["fast_path"] is False
    assert HookRegistry.check_if_exists_or_initialize(transformer).get_hook(cfg.HOOK_NAME) is None
    processors = [m.processor for m in transformer.modules() if hasattr(m, "processor")]
    assert processors and all(p._attention_backend is None for p in processors)


def test_the_cfg_hook_leaves_calls_it_cannot_pair_alone() -> None:
    """A call whose text is not a known prompt runs as given: nothing is batched or answered from cache."""
    import torch

    runner: Any = loaded("wan-tiny")
    transformer = runner.pipe.transformer
    (hook,) = cfg.install([transformer])
    latents = torch.randn(1, 16, 3, 8, 8)
    text = torch.randn(1, 512, transformer.config.text_dim)
    kwargs = dict(
        hidden_states=latents, timestep=torch.tensor([500]), encoder_hidden_states=text, return_dict=False
    )
    out = transformer(**kwargs)[0]
    cfg.uninstall([transformer])
    assert hook.batched == 0 and hook.pending is None
    torch.testing.assert_close(out, transformer(**kwargs)[0])


def test_a_plan_sized_for_one_cfg_pass_at_a_time_gets_no_batching() -> None:
    runner: Any = loaded("wan-tiny")
    runner.plan = replace(_gpu_plan(runner), strategy="group_offload", cfg_batch=False)
    runner.accelerate(AccelConfig(compile=False))
    assert runner.accel.cfg_hooks == []
    assert runner.accel_record["cfg_batched"] == "off: the memory plan fits only one CFG pass at a time"


def test_pipelines_that_batch_cfg_themselves_get_no_hook() -> None:
    runner: Any = loaded("ltx-tiny")
    runner.plan = _gpu_plan(runner)
    runner.accelerate(AccelConfig(compile=False))
    assert runner.accel_record["cfg_batched"] == "by the pipeline"
    assert runner.accel.cfg_hooks == []


def test_lossy_modes_are_labelled_in_the_record() -> None:
    runner: Any = loaded("wan-tiny")
    runner.plan = _gpu_plan(runner)
    runner.accelerate(AccelConfig(compile=False).with_lossy("taylorseer"))
    record = runner.accel_record
    assert record["lossless"] is False
    assert record["lossy"]["taylorseer"]["settings"]["cache_interval"] == 5
    runner.accelerate(AccelConfig.stock())
    assert not runner.pipe.transformer.is_cache_enabled


def test_fp8_without_a_capable_gpu_is_refused_with_what_would_work() -> None:
    runner: Any = loaded("wan-tiny")
    runner.plan = _gpu_plan(runner)
    with pytest.raises(InvalidRequest, match="compute capability 8.9|needs torchao") as info:
        runner.accelerate(AccelConfig(compile=False).with_lossy("fp8"))
    assert info.value.param == "REELGEN_ACCEL"


def test_the_record_reaches_the_video_metadata(tmp_path: Any) -> None:
    from tests.core.helpers import render_fields

    result = render_fields(tmp_path / "a.mp4", model="wan-tiny", prompt="a fox", steps=1, seed=0)
    assert result.metadata["accel"]["fast_path"] is False


def test_transformers_of_finds_every_denoiser() -> None:
    runner: Any = loaded("wan22-tiny")
    assert len(accel.transformers_of(runner.pipe)) == 2


@pytest.mark.parametrize("model", ["wan-tiny", "ltx-tiny"])
def test_on_the_fast_path_frames_stay_tensors_until_uint8_and_match_stock_exactly(model: str) -> None:
    """The frames leave the pipeline as tensors (on a GPU they stay there) and become the same pixels."""
    runner: Any = loaded(model)
    fields = dict(WAN, negative_prompt="", steps=1, guidance=1.0)
    assert runner.output_type() == "np"  # a CPU run: NumPy frames, as stock diffusers returns them
    stock = _frames(runner, **fields)
    runner.plan = _gpu_plan(runner)
    runner.accelerate(AccelConfig(compile=False, cfg_batch=False))
    assert runner.output_type() == "pt"
    assert "uint8 on the GPU" in runner.accel_record["vae"]
    assert np.array_equal(_frames(runner, **fields), stock)
    runner.accelerate(AccelConfig(compile=False, cfg_batch=False, vae=False))
    assert runner.output_type() == "np"  # `no-vae` keeps diffusers' own post-processing


def test_tensor_and_numpy_frames_give_the_same_pixels_and_the_same_nan_record() -> None:
    import torch

    from reelgen.core.backends.plumbing import video_of

    floats = np.random.default_rng(0).uniform(-0.2, 1.2, size=(37, 6, 10, 3)).astype(np.float32)
    floats[5, 2, 3, 1] = np.nan
    floats[33] = np.nan
    from_numpy, from_tensor = video_of(floats, 24.0), video_of(torch.from_numpy(floats), 24.0)
    assert np.array_equal(from_tensor.frames, from_numpy.frames)
    assert from_tensor.frames.dtype == np.uint8
    assert from_tensor.extra["nan_frames"] == from_numpy.extra["nan_frames"] == [5, 33]
    assert (from_tensor.frames[33] == 0).all()


@pytest.mark.parametrize("model", ["wan-tiny", "ltx-tiny"])
def test_taylorseer_skips_the_blocks_between_full_steps(model: str) -> None:
    """The step cache really skips work on Wan and LTX: their blocks run on the full steps only."""
    from reelgen.core.accel import lossy

    runner: Any = loaded(model)
    fields = {**WAN, "steps": 10, "guidance": 1.0}
    plain = _frames(runner, **fields)
    transformer = runner.pipe.transformer
    blocks = getattr(transformer, "blocks", None) or transformer.transformer_blocks
    runs: list[int] = []
    outer: list[int] = []
    inner = blocks[0].attn1.register_forward_pre_hook(lambda *a: runs.append(1))
    top = transformer.register_forward_pre_hook(lambda *a: outer.append(1))
    settings = lossy.step_cache(transformer, "taylorseer")
    try:
        cached = _frames(runner, **fields)
    finally:
        lossy.drop_step_cache(transformer)
        inner.remove()
        top.remove()
    assert settings["use_lite_mode"] and len(outer) == 10
    assert len(runs) == 5  # steps 0, 1, 2, 4 and 9 of 0-9: the first three, then every fifth
    assert np.isfinite(cached).all() and np.abs(cached - plain).max() > 0
    np.testing.assert_array_equal(_frames(runner, **fields), plain)  # dropped: stock again


@pytest.mark.parametrize("model", ["wan-tiny", "ltx-tiny"])
def test_a_step_cache_on_compiled_blocks_compiles_nothing_after_the_first_step(
    model: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's hooks run as plain Python around the compiled blocks, so its step counter is no guard.

    Traced inside the blocks' graphs, the first skipped step compiled them again in
    the middle of a timed run; now the skipped and full steps after the first compile
    nothing, and turning the fast path off gives each block its own forward back.
    """
    import torch

    from reelgen.core.accel import compile as regional

    # Dynamo's tracing and guards as on a GPU, without generating kernels on this CPU.
    monkeypatch.setattr(torch, "compile", functools.partial(torch.compile, backend="eager"))
    runner: Any = loaded(model)
    transformer = runner.pipe.transformer
    blocks = getattr(transformer, "blocks", None) or transformer.transformer_blocks
    fields = {**WAN, "guidance": 1.0}
    runner.plan = _gpu_plan(runner)
    try:
        runner.accelerate(AccelConfig(cfg_batch=False, vae=False).with_lossy("taylorseer"))
        assert runner.accel_record["compiled"] and "taylorseer" in runner.accel_record["lossy"]
        _frames(runner, **(fields | {"steps": 1}))
        compiled = regional.compile_counts()["frames_compiled"]
        cached = _frames(runner, **(fields | {"steps": 10}))
        assert regional.compile_counts()["frames_compiled"] == compiled
        assert np.isfinite(cached).all()
    finally:
        runner.accelerate(AccelConfig.stock())
    assert all("forward" not in vars(block) for block in blocks)
    assert not getattr(transformer, "is_cache_enabled", False)


def test_blocks_under_group_offload_compile_with_their_hooks_and_get_them_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Group offload's hook is each block's forward: it is what compiles, and uncompiling restores it."""
    import torch
    from diffusers.hooks import apply_group_offloading

    from reelgen.core.accel import compile as regional

    monkeypatch.setattr(torch, "compile", functools.partial(torch.compile, backend="eager"))
    runner: Any = loaded("wan-tiny")
    transformer = runner.pipe.transformer
    plain = _frames(runner, **WAN)
    cpu = torch.device("cpu")
    apply_group_offloading(
        transformer, onload_device=cpu, offload_device=cpu, offload_type="block_level", num_blocks_per_group=1
    )
    hooked = [vars(block)["forward"] for block in transformer.blocks]
    assert regional.compile_blocks(transformer) == ["WanTransformerBlock"]
    try:
        np.testing.assert_array_equal(_frames(runner, **WAN), plain)
        compiled = regional.compile_counts()["frames_compiled"]
        np.testing.assert_array_equal(_frames(runner, **WAN), plain)
        assert regional.compile_counts()["frames_compiled"] == compiled  # a second run compiles nothing
    finally:
        regional.uncompile_blocks(transformer)
    assert [vars(block)["forward"] for block in transformer.blocks] == hooked


@pytest.mark.parametrize(
    ("model", "block", "tuned"),
    [("wan-tiny", "WanTransformerBlock", True), ("ltx-tiny", "LTXVideoTransformerBlock", False)],
)
def test_fp8_blocks_compile_with_one_pass_casts_and_lossless_blocks_with_inductors_defaults(
    model: str, block: str, tuned: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FP8 blocks get multi-kernel (no disk cache for it), Wan's also coordinate descent; bf16 blocks get none."""
    import os

    import torch

    from reelgen.core.accel import compile as regional

    seen: list[Any] = []
    real = torch.compile

    def recording(fn: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("options"))
        return real(fn, backend="eager", dynamic=kwargs.get("dynamic"))

    monkeypatch.setattr(torch, "compile", recording)
    monkeypatch.delenv("TORCHINDUCTOR_DISABLE_MULTI_KERNEL_CACHE", raising=False)
    runner: Any = loaded(model)
    transformer = runner.pipe.transformer
    blocks = len(
        transformer.transformer_blocks if hasattr(transformer, "transformer_blocks") else transformer.blocks
    )
    fp8_options = {"triton.multi_kernel": 1} | ({"coordinate_descent_tuning": True} if tuned else {})
    try:
        for lossy, options in (((), None), (("fp8",), fp8_options)):
            seen.clear()
            made = accel.Accel(AccelConfig(lossy=lossy))
            accel._compile(made, [transformer], _gpu_plan(runner))
            assert made.record["compiled"] == [block]
            assert seen == [options] * blocks
            # Multi-kernel's disk record is turned off with the FP8 options only.
            assert ("TORCHINDUCTOR_DISABLE_MULTI_KERNEL_CACHE" in os.environ) == bool(options)
            regional.uncompile_blocks(transformer)
    finally:
        regional.uncompile_blocks(transformer)
    assert os.environ["TORCHINDUCTOR_DISABLE_MULTI_KERNEL_CACHE"] == "1"


def test_compile_seconds_show_where_a_first_call_went() -> None:
    """The bench's warm-up report diffs two readings: a new compile adds time to the tracing phase."""
    import torch

    from reelgen.core.accel import compile as regional

    before = regional.compile_seconds()
    fn = torch.compile(lambda x: torch.sin(x) * 2 + 1, backend="eager", dynamic=False)
    fn(torch.randn(7))
    after = regional.compile_seconds()
    assert after["_compile.compile_inner"] > before.get("_compile.compile_inner", 0.0)
    assert all(after[k] >= v for k, v in before.items())

"""Opt-in lossy speed-ups: FP8 linear layers (torchao) and diffusers' step caches. Each is recorded by name."""

from __future__ import annotations

from typing import Any, Literal

from reelgen.core.errors import InvalidRequest

#: How FP8 scales are shared: one per row of activations and weights, or one per tensor.
FP8Scales = Literal["row", "tensor"]
#: Inductor settings for blocks with FP8 layers. Each product's input is cast to FP8 by a kernel that
#: takes the row's maximum first; for rows wider than 1,024 Inductor loops over the row twice by
#: default (max, then cast). Multi-kernel also builds the one-pass ("persistent") form and keeps
#: whichever is faster at the first call. With LTX 2B's FFN (8,192-wide rows) that took the forward
#: from 95.9 to 94.5 ms on an H200 (docs/benchmarks.md, run 10). Not for bf16 blocks: there
#: multi-kernel gained 1 % and made the first two calls 45 s instead of 8 s.
FP8_COMPILE_OPTIONS: dict[str, Any] = {"triton.multi_kernel": 1}
#: Blocks whose FP8 kernels also get coordinate descent tuning of their block sizes (one direction at
#: a time, Inductor's default search), where it was measured to pay on an H200 (docs/benchmarks.md,
#: runs 14 and 15): two Wan blocks ran 3 % (1.3B at 832x480x81) and 0.5 % (14B at 1280x720x81)
#: faster for 30-55 s more at their first call; LTX 2B's 28 blocks ran 0.1 % faster for 44 s more,
#: so other blocks are not tuned. Inductor keeps the tuned sizes in its cache on disk, so the cost
#: comes once per shape.
FP8_TUNED_BLOCKS: frozenset[str] = frozenset({"WanTransformerBlock"})


def fp8_compile_options(model: Any) -> dict[str, Any]:
    """Inductor settings for ``model``'s blocks with FP8 layers: multi-kernel, and tuning where it paid."""
    tuned = FP8_TUNED_BLOCKS.intersection(getattr(model, "_repeated_blocks", None) or ())
    return FP8_COMPILE_OPTIONS | ({"coordinate_descent_tuning": True} if tuned else {})


def fp8_linears(
    model: Any, scales: FP8Scales = "row", keep: tuple[str, ...] = (), *, fused_gelu: bool = True
) -> int:
    """Swap the repeated blocks' linear layers for FP8 (e4m3, dynamic activation scales per ``scales``).

    Needs torchao (``reelgen[gpu]``) and a GPU with FP8 tensor cores (compute
    capability 8.9 or newer). Returns how many layers were converted. Layers whose
    sides are not multiples of 16 stay in bf16 (FP8 matrix kernels need that), as
    do layers whose names within their block end with one of ``keep``. With row
    scales and Triton, feed-forwards with a tanh GELU get its fused cast
    (``fp8_ffn``) unless ``fused_gelu`` is off (benchmarks compare the two).
    """
    import torch
    import torch._inductor.config as inductor_config

    from reelgen.core.accel import fp8_ffn

    try:
        from torchao.quantization import (
            Float8DynamicActivationFloat8WeightConfig,
            PerRow,
            PerTensor,
            quantize_,
        )
    except ImportError as exc:
        raise InvalidRequest(
            f"lossy mode fp8 needs torchao ({exc}); install reelgen[gpu] or drop fp8 from REELGEN_ACCEL",
            param="REELGEN_ACCEL",
        ) from None
    if not fp8_tensor_cores(next(model.parameters()).device):
        raise InvalidRequest(
            "lossy mode fp8 needs a CUDA GPU of compute capability 8.9 or newer (Ada, Hopper, Blackwell); "
            "drop fp8 from REELGEN_ACCEL",
            param="REELGEN_ACCEL",
        )
    names = set(getattr(model, "_repeated_blocks", None) or [])
    blocks = [block for block in model.modules() if type(block).__name__ in names]
    fused = 0
    if scales == "row" and fused_gelu and fp8_ffn.triton_available():
        fused = sum(len(fp8_ffn.fuse_feed_forwards(block, keep)) for block in blocks)
    chosen: set[int] = set()
    for block in blocks:
        for name, layer in block.named_modules():
            if (
                isinstance(layer, torch.nn.Linear)
                and layer.in_features % 16 == 0
                and layer.out_features % 16 == 0
                and not name.endswith(keep)
            ):
                chosen.add(id(layer))
    config = Float8DynamicActivationFloat8WeightConfig(
        granularity=PerRow() if scales == "row" else PerTensor(), set_inductor_config=False
    )
    # torchao's default (``set_inductor_config=True``) turns on, for the whole process and for good,
    # Inductor's coordinate descent tuning in all directions: each fused kernel of every model compiled
    # afterwards, bf16 ones included, was then rebuilt and timed in dozens of block sizes at its first
    # call. On an H200 that was 341 of the 359 s a first call of two Wan 14B FP8 blocks took, and 98 of
    # 108 s for two bf16 blocks compiled after them (docs/benchmarks.md, run 14). The flag is off here,
    # and Inductor's settings are put back after the swap in case a torchao version changes them anyway.
    saved = inductor_config.save_config()
    try:
        quantize_(model, config, filter_fn=lambda module, _name: id(module) in chosen)
    finally:
        inductor_config.load_config(saved)
    return len(chosen) + fused  # a fused feed-forward's down projection is FP8 too


def fp8_tensor_cores(device: Any) -> bool:
    """Whether ``device`` (a ``torch.device``) multiplies FP8 matrices: CUDA, compute capability 8.9 or newer."""
    import torch

    return bool(device.type == "cuda" and torch.cuda.get_device_capability(device) >= (8, 9))


def step_cache(model: Any, mode: str) -> dict[str, Any]:
    """Turn on one of diffusers' step caches on ``model``; returns its settings for the record."""
    if not hasattr(model, "enable_cache"):
        raise InvalidRequest(
            f"lossy mode {mode}: {type(model).__name__} has no diffusers cache hooks; drop it from REELGEN_ACCEL",
            param="REELGEN_ACCEL",
        )
    if mode == "first-block-cache":
        from diffusers import FirstBlockCacheConfig

        settings: dict[str, Any] = {"threshold": 0.05}
        model.enable_cache(FirstBlockCacheConfig(**settings))
    elif mode == "taylorseer":
        from diffusers import TaylorSeerCacheConfig

        # Lite mode: between full steps the blocks are skipped and the transformer's output is
        # extrapolated from the last full steps. diffusers' default targets ("^blocks.*attn",
        # matched whole) hook no module of Wan or LTX (theirs are attn1/attn2), so without it
        # nothing is cached; caching every attention output instead would hold two copies of
        # each (36 GB for Wan 1.3B at 832x480x81).
        settings = {
            "cache_interval": 5,
            "disable_cache_before_step": 3,
            "max_order": 1,
            "use_lite_mode": True,
        }
        model.enable_cache(TaylorSeerCacheConfig(**settings))
    else:
        raise ValueError(f"not a step cache: {mode}")
    return settings


def drop_step_cache(model: Any) -> None:
    if getattr(model, "is_cache_enabled", False):
        model.disable_cache()

"""What the benchmark measures: its model (loaded, or full size with random weights), exact FLOPs, the GEMM roof.

The real architectures are built on the meta device and given storage and
random values straight on the GPU (never zeros: matrix products run about 13%
faster on zeros than on data), with the parts diffusers and transformers keep
in float32 kept there, as ``from_pretrained`` would. FLOPs are counted exactly
by running a meta-device twin of a module on meta copies of the inputs it was
really called with, so no GPU time is spent counting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reelgen.core.errors import InvalidRequest, ModelNotAvailable, WeightsNotHere

if TYPE_CHECKING:
    from reelgen.core.spec.memory import MemoryPlan

#: Wan 2.1 T2V 14B's transformer differs from 1.3B's in width, depth and FFN (40 heads x 128, 40 layers).
WAN_14B_OVERRIDES: dict[str, Any] = dict(num_attention_heads=40, ffn_dim=13824, num_layers=40)

FULL_SIZE = ("ltx-2b", "wan-1.3b", "wan-14b")


def random_module(build: Callable[[], Any], device: str, dtype: Any) -> Any:
    """``build()`` on the meta device, then random weights of ``dtype`` on ``device`` (float32 parts kept)."""
    import torch
    from accelerate import init_empty_weights

    from reelgen.core.backends.wan.tiny import fill_random

    with init_empty_weights(include_buffers=False):  # buffers (RoPE tables) are computed for real
        module = build()
    if hasattr(module, "tie_weights"):
        module.tie_weights()
    for param in module.parameters():
        param.data = param.data.to(dtype)
    fill_random(module, device)
    keep = set(getattr(module, "_keep_in_fp32_modules", None) or [])
    if keep and dtype != torch.float32:
        for name, sub in module.named_modules():
            if keep & set(name.split(".")):
                sub.float()
    return module.eval()


def load_or_build(runner: Any, plan: MemoryPlan, weights: str | None) -> None:
    """Give ``runner`` its model: loaded (a tiny build, or real ``weights``), else full size with random weights.

    On the CPU the weights must fit the free RAM first (a full-size build is bf16
    on any device; a load is float32 there); otherwise this refuses, before
    spending minutes building what the kernel would kill.
    """
    from reelgen.core import weight_size
    from reelgen.core import weights as found
    from reelgen.core.accel import AccelConfig
    from reelgen.core.devices import check_host_memory
    from reelgen.core.spec.memory import weights_gib

    preset = runner.preset
    # Random weights exist only for FULL_SIZE; any other model (reelgen-micro ships in the package,
    # a pulled one sits in a cache) is benchmarked on the weights this machine has.
    if preset.tiny or weights or preset.name not in FULL_SIZE:
        try:
            source = found.locate(runner.spec, preset, weights)
        except ModelNotAvailable as exc:
            kind = WeightsNotHere if isinstance(exc, WeightsNotHere) else ModelNotAvailable  # --weights hint
            raise kind(
                f"{exc.message}. Without weights, bench builds full-size random ones only for "
                f"{', '.join(FULL_SIZE)}",
                param="model",
            ) from None
        if plan.device == "cpu":
            check_host_memory(preset.name, weight_size.float32_gib(source), "float32")
        runner.load(source, plan)
        return
    if plan.device == "cpu":
        check_host_memory(preset.name, weights_gib(preset.parts_gib, preset.dtype, "bfloat16"), "bfloat16")
    runner.place(full_size_pipeline(preset.name, plan.device), plan, AccelConfig.stock())


def full_size_pipeline(name: str, device: str) -> Any:
    """The full-size pipeline of preset ``name`` (``FULL_SIZE``) with random weights on ``device``."""
    import torch

    if name == "ltx-2b":
        return _ltx_2b(device, torch.bfloat16)
    if name in ("wan-1.3b", "wan-14b"):
        return _wan(name, device, torch.bfloat16)
    raise InvalidRequest(
        f"no full-size random build of {name!r}; valid: {', '.join(FULL_SIZE)} (or a tiny preset)",
        param="model",
    )


def _ltx_2b(device: str, dtype: Any) -> Any:
    from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXPipeline
    from diffusers import LTXVideoTransformer3DModel as Transformer
    from transformers import T5Config, T5EncoderModel

    from reelgen.core.backends import tiny
    from reelgen.core.backends.ltx.weights import full_configs

    configs = full_configs("ltx-2b")
    return LTXPipeline(
        transformer=random_module(lambda: Transformer(**configs["transformer"]), device, dtype),
        vae=random_module(lambda: AutoencoderKLLTXVideo(**configs["vae"]), device, dtype),
        text_encoder=random_module(
            lambda: T5EncoderModel(T5Config(**configs["text_encoder"])), device, dtype
        ),
        tokenizer=tiny.t5_tokenizer(),
        scheduler=FlowMatchEulerDiscreteScheduler(use_dynamic_shifting=False),
    )


def _wan(name: str, device: str, dtype: Any) -> Any:
    import torch
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanPipeline, WanTransformer3DModel
    from transformers import UMT5Config, UMT5EncoderModel

    from reelgen.core.backends import tiny
    from reelgen.core.backends.wan import configs

    config = dict(configs.TRANSFORMER_1_3B, **(WAN_14B_OVERRIDES if name == "wan-14b" else {}))
    return WanPipeline(
        transformer=random_module(lambda: WanTransformer3DModel(**config), device, dtype),
        text_encoder=random_module(lambda: UMT5EncoderModel(UMT5Config(**configs.UMT5_XXL)), device, dtype),
        vae=random_module(AutoencoderKLWan, device, torch.float32),  # Wan's VAE runs in float32
        tokenizer=tiny.t5_tokenizer(),
        scheduler=UniPCMultistepScheduler(**configs.SCHEDULER),
    )


# ---- exact FLOPs on the meta device ------------------------------------------------------------


def meta_twin(module: Any) -> Any:
    """An empty copy of ``module`` (same class, config and dtypes) on the meta device."""
    import torch

    with torch.device("meta"):
        if hasattr(type(module), "from_config"):
            twin = type(module).from_config(module.config)
        else:
            twin = type(module)(module.config)
    dtypes = {n: p.dtype for n, p in module.named_parameters()}
    for name, param in twin.named_parameters():
        if name in dtypes:
            param.data = param.data.to(dtypes[name])
    return twin.eval()


def count_flops(
    module: Any, args: tuple[Any, ...], kwargs: dict[str, Any], method: str = "forward", *, real: bool = False
) -> int:
    """FLOPs of ``module.<method>(*args, **kwargs)``, counted on a meta twin with meta inputs.

    ``real`` runs the module itself on the recorded inputs instead (for small
    modules whose forward reads tensor values, as T5's position buckets do).
    """
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    def to_meta(value: Any) -> Any:
        if isinstance(value, torch.Tensor):
            return torch.empty_like(value, device="meta")
        if isinstance(value, tuple | list):
            return type(value)(to_meta(v) for v in value)
        if isinstance(value, dict):
            return {k: to_meta(v) for k, v in value.items()}
        return value

    if real:
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            getattr(module, method)(*args, **kwargs)
        return int(counter.get_total_flops())
    from diffusers.models.attention_dispatch import attention_backend

    twin = meta_twin(module)
    # The twin's attention follows the process-wide backend, which the fast path may have pointed at
    # FA4 (an opaque op the counter cannot see): count stock SDPA, which does the same arithmetic.
    with torch.no_grad(), attention_backend("native"), FlopCounterMode(display=False) as counter:
        getattr(twin, method)(*to_meta(args), **to_meta(kwargs))
    return int(counter.get_total_flops())


# ---- the roof ----------------------------------------------------------------------------------


def gemm_roof_tflops(device: str, size: int = 8192, repeats: int = 10) -> float:
    """Median bf16 throughput of a ``size``-cubed matrix product on random data, in TFLOP/s."""
    import statistics

    import torch

    gen = torch.Generator(device).manual_seed(0)
    a, b = (torch.randn(size, size, device=device, dtype=torch.bfloat16, generator=gen) for _ in range(2))
    for _ in range(3):
        a @ b
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        a @ b
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return 2 * size**3 / statistics.median(times) / 1e12

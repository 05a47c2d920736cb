"""Issue 17's GPU probes of the transformer forward alone: attention kernels, FP8 layers, bf16 tolerance, offload.

Each replays the first forward the pipeline makes at the issue's shape on a
full-size random-weight model and times it with CUDA events. `gpu_core.py`
runs them by name.
"""

from __future__ import annotations

import contextlib
import functools
import json
import statistics
import time
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from reelgen.core.accel.lossy import FP8Scales

#: Attention alone at the real shapes: (label, batch, heads, tokens, head size).
SHAPES = [
    ("ltx-2b 768x512x121 CFG", 2, 32, 6144, 64),
    ("wan-1.3b 832x480x81 CFG", 2, 12, 32760, 128),
    ("wan-14b 1280x720x81", 1, 40, 75600, 128),
]


def attention_probe() -> dict[str, Any]:
    """TFLOP/s of torch SDPA (default order, cuDNN first, flash only) and FA4 at each shape, and FA4's error."""
    from reelgen.core.accel import attention

    status = attention.fa4_status("cuda:0", (64, 128))
    rows = []
    for label, b, h, n, d in SHAPES:
        rows.append({"shape": label, **_probe_shape(b, h, n, d, fa4=status[0])})
        print(json.dumps(rows[-1]), flush=True)
    return {"fa4_status": status, "shapes": rows}


def _probe_shape(b: int, h: int, n: int, d: int, *, fa4: bool) -> dict[str, Any]:
    import torch
    from torch.nn.attention import SDPBackend, sdpa_kernel

    from reelgen.core.accel import attention

    q, k, v = (torch.randn(b, n, h, d, device="cuda", dtype=torch.bfloat16) for _ in range(3))
    flops = 4 * b * h * n * n * d

    def sdpa() -> Any:
        return attention._sdpa(q, k, v, None, None)

    row: dict[str, Any] = {"sdpa_default": flops / _time(sdpa) / 1e12}
    with sdpa_kernel([SDPBackend.CUDNN_ATTENTION, SDPBackend.FLASH_ATTENTION], set_priority=True):
        row["sdpa_cudnn_first"] = flops / _time(sdpa) / 1e12
    with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
        row["sdpa_flash"] = flops / _time(sdpa) / 1e12
    if fa4:
        op = attention.fa4_op()
        row["fa4"] = flops / _time(lambda: op(q, k, v, None)) / 1e12
        ref = sdpa().float()
        row["fa4_rel_err_vs_sdpa"] = float((op(q, k, v, None).float() - ref).norm() / ref.norm())
    return row


def _time(fn: Any, repeats: int = 5, warmups: int = 1) -> float:
    """Median seconds of ``repeats`` calls of ``fn`` after ``warmups`` untimed ones, by CUDA events."""
    import torch

    for _ in range(warmups):
        fn()
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return statistics.median(times)


#: Pipeline calls whose first transformer forward the probes replay: the issue's shapes.
FIRST_CALLS: dict[str, dict[str, Any]] = {
    "ltx-2b": {"width": 768, "height": 512, "num_frames": 121, "guidance_scale": 3.0},
    "wan-1.3b": {"width": 832, "height": 480, "num_frames": 81, "guidance_scale": 5.0},
}


def first_call(name: str, **overrides: Any) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
    """The full-size random-weight transformer of ``name`` and the inputs of its first forward.

    The pipeline runs one step with the shape of ``FIRST_CALLS`` (call arguments in
    ``overrides`` replace its own); the rest of it (text encoder, VAE) is dropped
    before the probe goes on.
    """
    import torch

    from reelgen.core import bench_models

    pipe = bench_models.full_size_pipeline(name, "cuda")
    captured: dict[str, Any] = {}

    def grab(_module: Any, args: Any, kwargs: Any) -> None:
        captured.setdefault("call", (args, {**kwargs, "return_dict": False}))

    hook = pipe.transformer.register_forward_pre_hook(grab, with_kwargs=True)
    with torch.inference_mode():
        pipe(
            "a probe",
            num_inference_steps=1,
            output_type="latent",
            generator=torch.Generator().manual_seed(0),
            **{**FIRST_CALLS[name], **overrides},
        )
    hook.remove()
    transformer = pipe.transformer
    pipe.transformer = None
    del pipe
    torch.cuda.empty_cache()
    args, kwargs = captured["call"]
    return transformer, args, kwargs


#: How an fp8 probe variant is compiled: the fast path's repeated blocks, the same with Inductor's
#: max-autotune or with row reductions up to 16,384 wide also built in one pass, the row read once
#: ("persistent"; Inductor's default loops over rows wider than 1,024, reading them twice; its
#: multi-kernel mode times both builds at the first call and keeps the faster), or the whole
#: transformer as one graph (residual adds, norms and FP8 casts fused across blocks).
#: "blocks-fp8" is what the fast path runs FP8 blocks with (``lossy.fp8_compile_options``).
Compiled = Literal["blocks", "blocks-autotune", "blocks-persistent", "blocks-fp8", "whole"]
#: Inductor settings each way of compiling runs under.
_INDUCTOR: dict[str, dict[str, Any]] = {
    "blocks-autotune": {"max_autotune": True},
    "blocks-persistent": {"triton.multi_kernel": 1},
}
#: fp8 probe variants: (name, FP8 scales or None for bf16, how it is compiled, layers kept in bf16 by
#: their names' ends).
FP8_VARIANTS: dict[str, list[tuple[str, FP8Scales | None, Compiled, tuple[str, ...]]]] = {
    "fp8": [
        ("bf16", None, "blocks", ()),
        ("fp8-row", "row", "blocks", ()),
        ("fp8-tensor", "tensor", "blocks", ()),
    ],
    "fp8-autotune": [
        ("bf16", None, "blocks", ()),
        ("bf16-autotune", None, "blocks-autotune", ()),
        ("fp8-row", "row", "blocks", ()),
        ("fp8-row-autotune", "row", "blocks-autotune", ()),
    ],
    # Cross-attention's key and value layers read only the 128 text tokens: is FP8 there worth its cost?
    # (Run 7: keeping them bf16 lowered the error, not the time.)
    "fp8-text": [
        ("bf16", None, "blocks", ()),
        ("fp8-row", "row", "blocks", ()),
        ("fp8-row-text-bf16", "row", "blocks", ("attn2.to_k", "attn2.to_v")),
    ],
    # Where each forward's time goes (kernel profile), and whether one graph for the whole model helps FP8.
    "fp8-profile": [
        ("bf16", None, "blocks", ()),
        ("fp8-row", "row", "blocks", ()),
        ("fp8-row-whole", "row", "whole", ()),
        ("bf16-whole", None, "whole", ()),
    ],
    # Does reading each row once (GELU, row maximum and FP8 cast in one pass) close the gap to 1.25x?
    "fp8-persistent": [
        ("bf16", None, "blocks", ()),
        ("fp8-row-persistent", "row", "blocks-persistent", ()),
        ("fp8-row", "row", "blocks", ()),
        ("bf16-persistent", None, "blocks-persistent", ()),
    ],
    # The fast path's FP8 blocks: one-pass casts, their kernels tuned by coordinate descent.
    "fp8-tuned": [
        ("bf16", None, "blocks", ()),
        ("fp8-row-tuned", "row", "blocks-fp8", ()),
    ],
}
#: Substrings of CUDA kernel names by what the kernel does, checked in this order: Inductor's kernels
#: first, since their names list the ops fused into them (``triton_red_fused__scaled_mm_...`` is the
#: FP8 cast of a matrix product's input, not the product).
KERNEL_KINDS = {
    "fused": ("triton",),
    "attention": ("fmha", "flash", "cudnn", "attention", "sdpa"),
    "matmul": ("gemm", "cutlass", "nvjet", "xmma", "scaled_mm", "f8f8", "wgmma", "sm90"),
}


def kernel_profile(forward: Any, calls: int = 3) -> dict[str, Any]:
    """CUDA time per ``forward`` call by kind of kernel (``KERNEL_KINDS``, else "other"), and the top kernels."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(calls):
            forward()
        torch.cuda.synchronize()
    kinds: dict[str, float] = {}
    kernels: list[tuple[float, str]] = []
    for event in prof.key_averages():
        seconds = event.self_device_time_total / 1e6 / calls
        if seconds <= 0:
            continue
        name = event.key.lower()
        kind = next((k for k, marks in KERNEL_KINDS.items() if any(m in name for m in marks)), "other")
        kinds[kind] = kinds.get(kind, 0.0) + seconds
        kernels.append((seconds, event.key[:100]))
    top = [{"s": round(t, 5), "kernel": k} for t, k in sorted(kernels, reverse=True)[:20]]
    return {"by_kind_s": {k: round(v, 5) for k, v in kinds.items()}, "top": top}


def fp8_probe(case: str = "fp8") -> dict[str, Any]:
    """LTX 2B transformer forward (768x512x121, CFG batch of 2), compiled: bf16 against FP8 variants.

    The inputs are the ones the pipeline passes at its first step; each variant
    is a copy of the same random-weight transformer, so the errors compare like
    with like (against the bf16 compiled forward). ``fp8-autotune`` also compiles
    with Inductor's max-autotune (GEMM templates tried against cuBLAS).
    """
    import copy

    import torch
    import torch._inductor.config as inductor

    from reelgen.core.accel import compile as regional
    from reelgen.core.accel import lossy

    base, args, kwargs = first_call("ltx-2b")
    flops = 2 * 29.11e12  # one batch-2 forward (exact count in docs/benchmarks.md)
    rows: dict[str, Any] = {}
    reference = None
    for name, scales, compiled, keep in FP8_VARIANTS[case]:
        started = time.monotonic()
        model = copy.deepcopy(base)
        layers = lossy.fp8_linears(model, scales, keep=keep) if scales else 0
        if compiled == "whole":
            model = torch.compile(model, dynamic=False)
        else:
            regional.compile_blocks(
                model, lossy.fp8_compile_options(model) if compiled == "blocks-fp8" else None
            )
        forward = functools.partial(model, *args, **kwargs)
        frames = regional.compile_counts()["frames_compiled"]
        with torch.inference_mode():
            with inductor.patch(_INDUCTOR.get(compiled, {})):
                first = time.monotonic()
                for _ in range(2):  # compiles
                    forward()
                torch.cuda.synchronize()
                first = time.monotonic() - first
            seconds = _time(forward, repeats=10)
            out = forward()[0].float()
            profiled = (
                kernel_profile(forward) if case in ("fp8-profile", "fp8-persistent", "fp8-tuned") else None
            )
        if reference is None:
            reference = out
        rows[name] = {
            "layers": layers,
            "forward_s": seconds,
            "tflops_bf16_equiv": flops / seconds / 1e12,
            "rel_err_vs_bf16": float((out - reference).norm() / reference.norm()),
            "build_and_compile_s": time.monotonic() - started - 12 * seconds,
            "first_two_calls_s": first,
            "frames_compiled": regional.compile_counts()["frames_compiled"] - frames,
        }
        if profiled:
            rows[name]["kernels"] = profiled
        print(json.dumps({name: rows[name]}), flush=True)
        del model, forward, out
        torch.cuda.empty_cache()
        torch._dynamo.reset()  # each variant compiles afresh
    for name in rows:
        rows[name]["speedup_vs_bf16"] = rows["bf16"]["forward_s"] / rows[name]["forward_s"]
    return rows


def tolerance_probe(names: tuple[str, ...] = ("ltx-2b", "wan-1.3b")) -> dict[str, Any]:
    """How far bf16 forwards are from a float32 one: stock diffusers with two attention kernels, and the fast path.

    "Within bf16 tolerance" needs a yardstick: stock diffusers run with another
    attention kernel is as right as stock itself, so its distance from stock is
    what bf16 rounding alone moves a forward. Every variant is also measured
    against the same forward in float32 (no TF32), the answer all of them round.
    """
    import copy

    import torch
    from torch.nn.attention import SDPBackend, sdpa_kernel

    from reelgen.core import accel
    from reelgen.core.accel import attention
    from reelgen.core.accel import compile as regional

    def as_float32(value: Any) -> Any:
        if isinstance(value, torch.Tensor) and value.is_floating_point():
            return value.float()
        if isinstance(value, tuple | list):
            return type(value)(as_float32(v) for v in value)
        if isinstance(value, dict):
            return {k: as_float32(v) for k, v in value.items()}
        return value

    report: dict[str, Any] = {}
    for name in names:
        base, args, kwargs = first_call(name)
        outputs: dict[str, Any] = {}
        with torch.inference_mode():
            outputs["stock"] = base(*args, **kwargs)[0].float()
            # Flash attention where it can run; masked (text) attention has no flash kernel.
            with sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION], set_priority=True):
                outputs["stock_flash_attention"] = base(*args, **kwargs)[0].float()
            fast = copy.deepcopy(base)
            regional.compile_blocks(fast)
            fast(*args, **kwargs)  # compiles
            outputs["fast_path_compiled"] = fast(*args, **kwargs)[0].float()
            del fast
            # The fast path as `prepare` sets it up: FA4 where it passes its self-check, else SDPA with
            # cuDNN's kernel first, and the compiled blocks.
            fast = copy.deepcopy(base)
            choice = attention.choose("auto", "cuda", {int(fast.config["attention_head_dim"])})
            attention.apply([fast], choice)
            regional.compile_blocks(fast)
            with contextlib.nullcontext() if choice.kernel == "fa4" else accel._cudnn_first():
                fast(*args, **kwargs)  # compiles
                outputs["fast_path_as_run"] = fast(*args, **kwargs)[0].float()
            attention.reset([fast])
            del fast
            exact = copy.deepcopy(base).float()
            del base
            torch.cuda.empty_cache()
            matmul_tf32, cudnn_tf32 = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
            torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
            try:
                reference = exact(*as_float32(args), **as_float32(kwargs))[0].float()
            finally:
                torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = (
                    matmul_tf32,
                    cudnn_tf32,
                )
            del exact
            torch.cuda.empty_cache()

        def err(a: Any, b: Any) -> float:
            return float((a - b).norm() / b.norm())

        report[name] = {
            "as_run_attention": f"{choice.kernel}: {choice.reason}",
            "vs_float32": {k: err(v, reference) for k, v in outputs.items()},
            "vs_stock": {k: err(v, outputs["stock"]) for k, v in outputs.items() if k != "stock"},
        }
        print(json.dumps({name: report[name]}), flush=True)
        del outputs, reference
        torch.cuda.empty_cache()
    return report


def offload_probe() -> dict[str, Any]:
    """Wan 1.3B's transformer forward (832x480x81, eager, the batch the pipeline's first call passed: one
    CFG pass, since stock WanPipeline calls it once per pass) resident and under block-level group offload
    over a CUDA stream, with diffusers' host wait after each block and with ``record_stream`` instead
    (what ``placement.stream_blocks`` sets)."""
    import copy

    import torch

    base, args, kwargs = first_call("wan-1.3b")
    base = base.cpu()
    latents = kwargs.get("hidden_states", args[0] if args else None)
    forward_flops = 283.0e12 * latents.shape[0]  # per batch-1 forward (exact count in docs/benchmarks.md)
    rows: dict[str, Any] = {}
    for variant in ("resident", "group_offload_sync", "group_offload_record_stream"):
        model = copy.deepcopy(base)
        if variant == "resident":
            model.to("cuda")
        else:
            model.enable_group_offload(
                onload_device=torch.device("cuda"),
                offload_device=torch.device("cpu"),
                offload_type="block_level",
                num_blocks_per_group=1,
                use_stream=True,
                record_stream=variant.endswith("record_stream"),
            )
        torch.cuda.reset_peak_memory_stats()
        with torch.inference_mode():
            model(*args, **kwargs)  # the first call pins and traces the order of the groups
            seconds = _time(functools.partial(model, *args, **kwargs), repeats=3)
        rows[variant] = {
            "forward_s": round(seconds, 4),
            "tflops": round(forward_flops / seconds / 1e12, 1),
            "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2),
        }
        print(json.dumps({variant: rows[variant]}), flush=True)
        del model
        torch.cuda.empty_cache()
    return rows

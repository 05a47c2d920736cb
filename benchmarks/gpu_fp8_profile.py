"""GPU probe: where a Wan 1.3B block's time goes with FP8 attention and FP8 linears, by kernel.

Run 12 measured cuDNN's FP8 attention kernel alone at 1.20x FlashAttention-4 on Wan 1.3B's shape,
yet in whole steps `fp8-attention` gained 1.08x and `fp8-all` 1.18x (runs 13-15). This builds
Wan 1.3B's width with a few blocks at 832x480x81 (CFG batch of two), routes attention as the fast
path does (FA4, then FP8 self-attention), compiles the blocks and profiles three forwards of each
variant, so the kernels added around the FP8 attention and their time are listed. Usage (FA4 and
cudnn-frontend installed, PYTHONPATH with src and benchmarks):

    python3 gpu_fp8_profile.py $OUT [layers [variant,variant...]]
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from pathlib import Path
from typing import Any

#: (name, FP8 linears, FP8 self-attention, FFN GELU cast fused). FP8 blocks compile with multi-kernel
#: alone (no tuning), which keeps the probe short; run 15 measured tuning at 2-3 % of a Wan step.
VARIANTS: dict[str, tuple[bool, bool, bool]] = {
    "lossless": (False, False, False),
    "fp8-attention": (False, True, False),
    "fp8-all-unfused": (True, True, False),
    "fp8-all": (True, True, True),
}


def gelu_cast_check(rows: int = 65520, width: int = 8960) -> dict[str, Any]:
    """The fused GELU-to-FP8 Triton kernel against ``fp8_ffn.reference`` at Wan 1.3B's FFN shape, and its speed."""
    import torch

    from reelgen.core.accel import fp8_ffn

    hidden = torch.randn(rows, width, device="cuda", dtype=torch.bfloat16) * 3
    got, got_scale = fp8_ffn.gelu_fp8_op()(hidden)
    want, want_scale = fp8_ffn.reference(hidden)
    steps = (
        got.float() * got_scale - want.float() * want_scale
    ).abs() / want_scale  # in units of the row scale
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(20):
        fp8_ffn.gelu_fp8_op()(hidden)
    end.record()
    torch.cuda.synchronize()
    seconds = start.elapsed_time(end) / 20 / 1000
    return {
        "shape": [rows, width],
        "codes_equal": round(float((got.view(torch.uint8) == want.view(torch.uint8)).float().mean()), 6),
        "scale_max_rel_diff": float(((got_scale - want_scale).abs() / want_scale).max()),
        "max_diff_in_row_scales": float(steps.max()),  # one e4m3 step near 448 is 32
        "ms": round(seconds * 1000, 3),
        "TB_per_s": round(rows * width * 3 / seconds / 1e12, 2),  # bf16 read + e4m3 write
    }


def profile_variant(layers: int, fp8_linears: bool, fp8_attention: bool, fused: bool) -> dict[str, Any]:
    import torch
    from gpu_compile_probes import _model_and_inputs, median_forward
    from gpu_probes import kernel_profile

    from reelgen.core.accel import attention, lossy
    from reelgen.core.accel import compile as regional

    model, kwargs = _model_and_inputs("wan-1.3b", layers)
    choice = attention.choose("auto", "cuda", {128})
    attention.apply([model], choice, fp8=fp8_attention)
    row: dict[str, Any] = {"attention": choice.kernel, "reason": choice.reason}
    if fp8_linears:
        row["fp8_layers"] = lossy.fp8_linears(model, fused_gelu=fused)
    regional.compile_blocks(model, lossy.FP8_COMPILE_OPTIONS if fp8_linears else None)
    with torch.inference_mode():
        started = time.monotonic()
        model(**kwargs)
        torch.cuda.synchronize()
        row["first_call_s"] = round(time.monotonic() - started, 1)
        row["forward_s"] = round(median_forward(model, kwargs, 7), 5)
        row["kernels"] = kernel_profile(functools.partial(model, **kwargs))
    del model
    torch.cuda.empty_cache()
    torch._dynamo.reset()
    return row


def main() -> None:
    # `--help` made a folder named "--help" and ran every variant: the arguments were read by position alone.
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for fp8-profile-wan13.json")
    parser.add_argument("layers", type=int, nargs="?", default=2, help="Wan 1.3B blocks built (default: 2)")
    parser.add_argument(
        "variants",
        nargs="?",
        default=",".join(VARIANTS),
        help=f"comma list (default: all): {', '.join(VARIANTS)}",
    )
    args = parser.parse_args()
    names = [name for name in args.variants.split(",") if name]
    unknown = [name for name in names if name not in VARIANTS]
    if unknown or args.layers < 1:
        parser.error(
            f"unknown variant {unknown[0]!r}; valid: {', '.join(VARIANTS)}"
            if unknown
            else "layers must be >= 1"
        )
    out, layers = args.out, args.layers
    out.mkdir(parents=True, exist_ok=True)
    from reelgen.core.accel import fp8_attention

    results: dict[str, Any] = {"layers": layers, "shape": "832x480x81, CFG batch of 2"}
    results["fp8_attention_status"] = fp8_attention.status("cuda", (128,))  # its self-check vs float32
    try:
        results["gelu_cast_check"] = gelu_cast_check()
    except Exception as exc:
        results["gelu_cast_check"] = {"error": f"{type(exc).__name__}: {str(exc)[:2000]}"}
    print(json.dumps(results), flush=True)
    for name in names:
        try:
            results[name] = profile_variant(layers, *VARIANTS[name])
        except Exception as exc:  # one variant failing should not lose the others
            results[name] = {"error": f"{type(exc).__name__}: {str(exc)[:2000]}"}
        print(json.dumps({name: {k: v for k, v in results[name].items() if k != "kernels"}}), flush=True)
        (out / "fp8-profile-wan13.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""GPU probe: where a Wan 1.3B block's time goes with FP8 attention and FP8 linears, by kernel.

Run 12 measured cuDNN's FP8 attention kernel alone at 1.20x FlashAttention-4 on Wan 1.3B's shape,
yet in whole steps `fp8-attention` gained 1.08x and `fp8-all` 1.18x (runs 13-15). This builds
Wan 1.3B's width with a few blocks at 832x480x81 (CFG batch of two), routes attention as the fast
path does (FA4, then FP8 self-attention), compiles the blocks and profiles three forwards of each
variant, so the kernels added around the FP8 attention and their time are listed. Usage (FA4 and
cudnn-frontend installed, PYTHONPATH with src and benchmarks):

    python3 gpu_fp8_profile.py $OUT [layers]
"""

from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path
from typing import Any

#: (name, FP8 linears, FP8 self-attention). FP8 blocks compile with multi-kernel alone (no tuning),
#: which keeps the probe short; run 15 measured tuning at 2-3 % of a Wan step.
VARIANTS: tuple[tuple[str, bool, bool], ...] = (
    ("lossless", False, False),
    ("fp8-attention", False, True),
    ("fp8-all", True, True),
)


def profile_variant(layers: int, fp8_linears: bool, fp8_attention: bool) -> dict[str, Any]:
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
        row["fp8_layers"] = lossy.fp8_linears(model)
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
    out = Path(sys.argv[1])
    layers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    out.mkdir(parents=True, exist_ok=True)
    from reelgen.core.accel import fp8_attention

    results: dict[str, Any] = {"layers": layers, "shape": "832x480x81, CFG batch of 2"}
    results["fp8_attention_status"] = fp8_attention.status("cuda", (128,))  # its self-check vs float32
    print(json.dumps(results), flush=True)
    for name, linears, fp8_attn in VARIANTS:
        try:
            results[name] = profile_variant(layers, linears, fp8_attn)
        except Exception as exc:  # one variant failing should not lose the others
            results[name] = {"error": f"{type(exc).__name__}: {str(exc)[:2000]}"}
        print(json.dumps({name: {k: v for k, v in results[name].items() if k != "kernels"}}), flush=True)
        (out / "fp8-profile-wan13.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

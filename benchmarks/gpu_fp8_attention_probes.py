"""Issue 17's probe of FP8 attention: cuDNN's fused FP8 SDPA against bf16 attention at the issue's shapes.

For each shape it times bf16 SDPA on cuDNN's kernel (what the fast path runs
when FA4 is absent), FA4 when it is installed, and reelgen's FP8 attention
twice: the kernel alone on inputs already in FP8, and the whole call as the
fast path makes it (quantization compiled, then the kernel). Errors are against
float32 attention on the smallest shape and against bf16 SDPA on the rest
(float32 attention of 75,600 tokens would take minutes), on random inputs with
and without a per-channel offset on the keys and values, which real
activations have and the centring removes.
"""

from __future__ import annotations

import json
from typing import Any

from gpu_probes import SHAPES, _time


def fp8_attention_probe() -> dict[str, Any]:
    """TFLOP/s and relative error of bf16 and FP8 attention at LTX 2B, Wan 1.3B and Wan 14B shapes."""
    import torch

    from reelgen.core.accel import attention, fp8_attention

    report: dict[str, Any] = {
        "status": fp8_attention.status("cuda:0", (128,)),
        "fa4_status": attention.fa4_status("cuda:0", (128,)),
    }
    try:
        import cudnn

        report["cudnn_backend"] = cudnn.backend_version_string()
    except Exception as exc:
        report["cudnn_import_error"] = f"{type(exc).__name__}: {exc}"
        return report
    fp8_attention.fp8_op()
    compiled = torch.compile(fp8_attention.attention, dynamic=False)
    rows = []
    for label, b, h, n, d in SHAPES:
        try:
            rows.append({"shape": label, **_shape(b, h, n, d, compiled, fa4=report["fa4_status"][0])})
        except Exception as exc:
            rows.append({"shape": label, "error": f"{type(exc).__name__}: {str(exc)[:2000]}"})
        print(json.dumps(rows[-1]), flush=True)
        torch.cuda.empty_cache()
    report["shapes"] = rows
    return report


def _shape(b: int, h: int, n: int, d: int, compiled: Any, *, fa4: bool) -> dict[str, Any]:
    import torch
    from torch.nn.attention import SDPBackend, sdpa_kernel

    from reelgen.core.accel import attention, fp8_attention

    gen = torch.Generator("cuda").manual_seed(0)
    q, k, v = (torch.randn(b, n, h, d, device="cuda", dtype=torch.bfloat16, generator=gen) for _ in range(3))
    flops = 4 * b * h * n * n * d
    row: dict[str, Any] = {}

    def sdpa(q: Any, k: Any, v: Any) -> Any:
        with sdpa_kernel([SDPBackend.CUDNN_ATTENTION, SDPBackend.FLASH_ATTENTION], set_priority=True):
            return attention._sdpa(q, k, v, None, None)

    row["bf16_cudnn_tflops"] = flops / _time(lambda: sdpa(q, k, v)) / 1e12
    if fa4:
        op = attention.fa4_op()
        row["bf16_fa4_tflops"] = flops / _time(lambda: op(q, k, v, None)) / 1e12
    quantized = [fp8_attention.quantize(q, center=False)[:2]]
    quantized += [fp8_attention.quantize(x, center=True)[:2] for x in (k, v)]
    inputs = [t for t, _ in quantized] + [s for _, s in quantized]
    kernel = fp8_attention.fp8_op()
    scale = d**-0.5
    row["fp8_kernel_tflops"] = flops / _time(lambda: kernel(*inputs, scale)) / 1e12
    row["fp8_output_type"] = fp8_attention._graph(fp8_attention._key(*inputs[:3], scale)).output_type
    row["fp8_with_quantize_tflops"] = flops / _time(lambda: compiled(q, k, v, None)) / 1e12
    quantized.clear()  # frees the FP8 copies before the error rows
    inputs.clear()
    offset_k = 2 * torch.randn(1, 1, h, d, device="cuda", generator=gen, dtype=torch.bfloat16)
    offset_v = torch.randn(1, 1, h, d, device="cuda", generator=gen, dtype=torch.bfloat16)
    for name, kk, vv in (("plain", k, v), ("offset", k + offset_k, v + offset_v)):
        if n <= 8192:
            ref = torch.nn.functional.scaled_dot_product_attention(
                *(x.float().transpose(1, 2) for x in (q, kk, vv))
            ).transpose(1, 2)
            row[f"bf16_err_vs_fp32_{name}"] = _err(sdpa(q, kk, vv), ref)
            reference = "fp32"
        else:
            ref = sdpa(q, kk, vv).float()
            reference = "bf16"
        row[f"fp8_err_vs_{reference}_{name}"] = _err(compiled(q, kk, vv, None), ref)
        uncentred = kernel(*_quantized_plain(q, kk, vv), scale)
        row[f"fp8_uncentred_err_vs_{reference}_{name}"] = _err(uncentred, ref)
        del ref, uncentred
    return row


def _quantized_plain(q: Any, k: Any, v: Any) -> list[Any]:
    """Q, K and V quantized without centring, with their descales: what the centring is measured against."""
    from reelgen.core.accel import fp8_attention

    parts = [fp8_attention.quantize(x, center=False)[:2] for x in (q, k, v)]
    return [t for t, _ in parts] + [s for _, s in parts]


def _err(value: Any, reference: Any) -> float:
    return float((value.float() - reference).norm() / reference.norm())

"""GPU probe: block layouts for the fused GELU-to-FP8 row cast (``reelgen.core.accel.fp8_ffn``), timed alone.

The first version (one row per program, 16 warps) moved 1.8 TB/s at Wan 1.3B's FFN shape on an H200,
half of what a copy reaches. This times layouts at the FFN shapes of Wan 1.3B, Wan 14B and LTX 2B and
checks each against ``fp8_ffn.reference``. Usage (PYTHONPATH with src): python3 gpu_gelu_cast_variants.py $OUT
"""

from __future__ import annotations

import argparse
import functools
import json
from pathlib import Path
from typing import Any

import torch
import triton
import triton.language as tl

from reelgen.core.accel import fp8_ffn

#: (rows, width): CFG batch of two for Wan 1.3B 832x480x81 and LTX 2B 768x512x121, one for Wan 14B 1280x720x81.
SHAPES = {"wan-1.3b": (65520, 8960), "wan-14b": (75600, 13824), "ltx-2b": (12288, 8192)}


@triton.jit
def _whole(hidden, out, scales, rows, width, BLOCK: tl.constexpr, ROWS: tl.constexpr):  # noqa: N803
    row = tl.program_id(0).to(tl.int64) * ROWS + tl.arange(0, ROWS)[:, None]
    cols = tl.arange(0, BLOCK)[None, :]
    mask = (cols < width) & (row < rows)
    x = tl.load(hidden + row * width + cols, mask=mask, other=0.0).to(tl.float32)
    act = x * tl.sigmoid(1.5957691216057308 * (x + 0.044715 * x * x * x))
    amax = tl.maximum(tl.max(tl.abs(act), axis=1), 1e-12)
    q = tl.clamp(act * (448.0 / amax)[:, None], -448.0, 448.0).to(tl.float8e4nv)
    tl.store(out + row * width + cols, q, mask=mask)
    tl.store(scales + row, (amax / 448.0)[:, None], mask=row < rows)


@triton.jit
def _looped(hidden, out, scales, width, CHUNK: tl.constexpr):  # noqa: N803
    row = tl.program_id(0).to(tl.int64)
    base = row * width
    amax = tl.zeros([CHUNK], dtype=tl.float32)
    for start in range(0, width, CHUNK):
        cols = start + tl.arange(0, CHUNK)
        x = tl.load(hidden + base + cols, mask=cols < width, other=0.0).to(tl.float32)
        act = x * tl.sigmoid(1.5957691216057308 * (x + 0.044715 * x * x * x))
        amax = tl.maximum(amax, tl.abs(act))
    top = tl.maximum(tl.max(amax, axis=0), 1e-12)
    for start in range(0, width, CHUNK):
        cols = start + tl.arange(0, CHUNK)
        x = tl.load(hidden + base + cols, mask=cols < width, other=0.0).to(tl.float32)
        act = x * tl.sigmoid(1.5957691216057308 * (x + 0.044715 * x * x * x))
        q = tl.clamp(act * (448.0 / top), -448.0, 448.0).to(tl.float8e4nv)
        tl.store(out + base + cols, q, mask=cols < width)
    tl.store(scales + row, top / 448.0)


def _time(fn: Any, reps: int = 20) -> float:
    fn()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / reps / 1000


def _variants(hidden: torch.Tensor) -> dict[str, Any]:
    """Each layout as a function of no arguments returning (e4m3 rows, scales)."""
    rows, width = hidden.shape
    block = 1 << (width - 1).bit_length()

    def whole(warps: int, per: int) -> Any:
        q = torch.empty((rows, width), dtype=torch.float8_e4m3fn, device="cuda")
        s = torch.empty((rows, 1), dtype=torch.float32, device="cuda")
        _whole[(triton.cdiv(rows, per),)](hidden, q, s, rows, width, BLOCK=block, ROWS=per, num_warps=warps)
        return q, s

    def looped(chunk: int, warps: int) -> Any:
        q = torch.empty((rows, width), dtype=torch.float8_e4m3fn, device="cuda")
        s = torch.empty((rows, 1), dtype=torch.float32, device="cuda")
        _looped[(rows,)](hidden, q, s, width, CHUNK=chunk, num_warps=warps)
        return q, s

    variants: dict[str, Any] = {"current": lambda: fp8_ffn.gelu_fp8_op()(hidden)}
    for warps in (4, 8, 16, 32):
        for per in (1, 2, 4):
            if per * block // (warps * 32) <= 64:  # more values a thread would spill
                variants[f"whole-w{warps}-r{per}"] = functools.partial(whole, warps, per)
    for chunk in (1024, 2048, 4096):
        for warps in (4, 8):
            variants[f"looped-c{chunk}-w{warps}"] = functools.partial(looped, chunk, warps)
    return variants


def measure(rows: int, width: int) -> dict[str, Any]:
    hidden = torch.randn(rows, width, device="cuda", dtype=torch.bfloat16) * 3
    want, want_scale = fp8_ffn.reference(hidden)
    copy = _time(hidden.clone)
    result: dict[str, Any] = {"copy_TB_per_s": round(rows * width * 4 / copy / 1e12, 2)}
    for name, fn in _variants(hidden).items():
        try:
            q, s = fn()
            diff = ((q.float() * s - want.float() * want_scale).abs() / want_scale).max()
            seconds = _time(fn)
            result[name] = {
                "ms": round(seconds * 1000, 3),
                "TB_per_s": round(rows * width * 3 / seconds / 1e12, 2),
                "max_diff_in_row_scales": round(float(diff), 4),
            }
        except Exception as exc:
            result[name] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    return result


def main() -> None:
    # `--help` made a folder named "--help" and ran the probe: the folder was read by position alone.
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for gelu-cast-variants.json")
    out_dir = parser.parse_args().out
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for model, (rows, width) in SHAPES.items():
        results[model] = measure(rows, width)
        print(json.dumps({model: results[model]}), flush=True)
        torch.cuda.empty_cache()
    (out_dir / "gelu-cast-variants.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""FA4's Hopper forward at the issue's attention shapes under launch configs other than its default.

FlashAttention-4 (4.0.0b40 and later) takes an explicit ``FwdConfig``: tile sizes, whether P·V reads
P from registers, and the overlap of the two warp groups' softmax with the matrix products. Its
default on Hopper for head size 128 is a 128x128 tile, where FlashAttention-3's C++ kernels use
128x176 for non-causal attention. This probe compiles each candidate in parallel worker processes
(into FA4's disk cache), then times them one after another in this process with CUDA events, beside
torch SDPA's cuDNN kernel, and prints one JSON line per shape and a summary.

    python3 benchmarks/gpu_fa4_configs.py --out $OUT/fa4-configs.json --workers 8 --budget 420
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gpu_probes import _time

#: Attention at the real shapes, as in gpu_probes.SHAPES: (label, batch, heads, tokens, head size).
SHAPES = [
    ("ltx-2b 768x512x121 CFG", 2, 32, 6144, 64),
    ("wan-1.3b 832x480x81 CFG", 2, 12, 32760, 128),
    ("wan-14b 1280x720x81", 1, 40, 75600, 128),
]

#: Changes to FA4's default config tried per head size, most promising first (a run may stop early).
CANDIDATES: dict[int, list[dict[str, Any]]] = {
    128: [
        {},
        {"tile_n": 176},
        {"tile_n": 160},
        {"tile_n": 192},
        {"tile_n": 144},
        {"tile_n": 176, "mma_pv_is_rs": False},
        {"tile_m": 192, "tile_n": 112, "mma_pv_is_rs": False},
        {"tile_m": 192, "tile_n": 128, "mma_pv_is_rs": False},
        {"tile_m": 192, "tile_n": 96},
        {"tile_n": 128, "intra_wg_overlap": False},
        {"is_static_persistent": True},
        {"tile_n": 176, "is_static_persistent": True},
    ],
    64: [
        {},
        {"tile_n": 192},
        {"tile_n": 160},
        {"tile_n": 176},
        {"tile_m": 128, "tile_n": 192},
        {"tile_m": 128, "tile_n": 128},
    ],
}


def _inputs(b: int, h: int, n: int, d: int) -> Any:
    import torch
    from flash_attn.cute.config import FwdHeuristicInputs

    props = torch.cuda.get_device_properties(0)
    return FwdHeuristicInputs(
        device_arch=props.major * 10 + props.minor,
        num_sms=props.multi_processor_count,
        dtype=str(torch.bfloat16),
        head_dim=d,
        head_dim_v=d,
        num_heads=h,
        num_heads_kv=h,
        batch_size=b,
        total_q=b * n,
        total_k=b * n,
        max_seqlen_q=n,
        max_seqlen_k=n,
    )


def _config(b: int, h: int, n: int, d: int, changes: dict[str, Any]) -> Any:
    from flash_attn.cute.config import derive_fwd_config, select_fwd_config

    inputs = _inputs(b, h, n, d)
    base = select_fwd_config(inputs)
    return base if not changes else derive_fwd_config(base, inputs, **changes)


def _tensors(b: int, h: int, n: int, d: int) -> tuple[Any, Any, Any]:
    import torch

    gen = torch.Generator("cuda").manual_seed(0)
    q, k, v = (torch.randn(b, n, h, d, device="cuda", dtype=torch.bfloat16, generator=gen) for _ in range(3))
    return q, k, v


def compile_one(d: int, index: int) -> None:
    """Worker: build the candidate's kernel at a short length, which fills FA4's disk cache."""
    from flash_attn.cute import flash_attn_func

    b, h, n = 1, 4, 1024
    config = _config(b, h, n, d, CANDIDATES[d][index])
    q, k, v = _tensors(b, h, n, d)
    flash_attn_func(q, k, v, config=config)


def _compile_all(workers: int, budget_s: float) -> dict[tuple[int, int], dict[str, Any]]:
    """Compile every candidate in worker processes; each result is its wall time or its error."""
    jobs = [(d, i) for d in CANDIDATES for i in range(len(CANDIDATES[d]))]
    deadline = time.monotonic() + budget_s

    def run(job: tuple[int, int]) -> tuple[tuple[int, int], dict[str, Any]]:
        d, i = job
        left = deadline - time.monotonic()
        if left < 20:
            return job, {"compiled": False, "error": "no time left in the budget"}
        start = time.monotonic()
        cmd = [sys.executable, __file__, "--compile-one", f"{d}:{i}"]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=left)
        except subprocess.TimeoutExpired:
            return job, {"compiled": False, "error": "compile ran past the budget"}
        result: dict[str, Any] = {"compile_s": round(time.monotonic() - start, 1)}
        result["compiled"] = done.returncode == 0
        if done.returncode:
            result["error"] = (done.stderr.strip().splitlines() or ["(no output)"])[-1][:300]
        return job, result

    with ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(run, jobs))


def _probe_shape(
    label: str, b: int, h: int, n: int, d: int, compiled: dict[tuple[int, int], dict[str, Any]]
) -> dict[str, Any]:
    """cuDNN's TFLOP/s at one shape, then each compiled candidate's TFLOP/s and error against it."""
    from flash_attn.cute import flash_attn_func
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.nn.functional import scaled_dot_product_attention as sdpa

    q, k, v = _tensors(b, h, n, d)
    flops = 4 * b * h * n * n * d
    qt, kt, vt = (x.transpose(1, 2) for x in (q, k, v))
    with sdpa_kernel([SDPBackend.CUDNN_ATTENTION]):
        ref = sdpa(qt, kt, vt).transpose(1, 2).float()
        cudnn = flops / _time(lambda: sdpa(qt, kt, vt), 7, 2) / 1e12
    row: dict[str, Any] = {"shape": label, "sdpa_cudnn_tflops": round(cudnn, 1), "fa4": []}
    for i, changes in enumerate(CANDIDATES[d]):
        entry: dict[str, Any] = {"changes": changes, **compiled[(d, i)]}
        if entry["compiled"]:
            try:
                config = _config(b, h, n, d, changes)
                entry["config"] = {f.name: str(getattr(config, f.name)) for f in dataclasses.fields(config)}

                def call(config: Any = config) -> Any:
                    out = flash_attn_func(q, k, v, config=config)
                    return out[0] if isinstance(out, tuple) else out

                entry["rel_err_vs_cudnn"] = float((call().float() - ref).norm() / ref.norm())
                entry["tflops"] = round(flops / _time(call, 7, 2) / 1e12, 1)
            except Exception as exc:  # a config the kernel refuses at this shape is a result too
                entry["error"] = f"{type(exc).__name__}: {exc}"[:300]
        row["fa4"].append(entry)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--budget", type=float, default=420.0, help="seconds for the parallel compile")
    parser.add_argument("--compile-one", help="worker mode: HEAD_SIZE:INDEX")
    args = parser.parse_args()
    os.environ.setdefault("FLASH_ATTENTION_CUTE_DSL_CACHE_ENABLED", "1")
    os.environ.setdefault("FLASH_ATTENTION_CUTE_DSL_CACHE_DIR", "/tmp/fa4-cache")
    if args.compile_one:
        d, i = map(int, args.compile_one.split(":"))
        compile_one(d, i)
        return

    import torch

    compiled = _compile_all(args.workers, args.budget)
    report: dict[str, Any] = {"device": torch.cuda.get_device_name(0), "shapes": []}
    for label, b, h, n, d in SHAPES:
        report["shapes"].append(_probe_shape(label, b, h, n, d, compiled))
        print(json.dumps(report["shapes"][-1]), flush=True)
        torch.cuda.empty_cache()
    if args.out:
        args.out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()

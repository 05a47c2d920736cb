"""Issue 17's probe of CUDA graphs over the compiled blocks: replaying each block's kernels against launching them.

At LTX 2B's 8-step shape (768x512x121, no CFG: a batch of one) a forward is
about 50-60 ms of GPU work launched kernel by kernel from Python; FP8 adds a
cast kernel before each matrix product. If the host takes about as
long to launch a forward as the GPU takes to run it, the GPU waits between
kernels, and a CUDA graph (Inductor's ``triton.cudagraphs``) removes that wait.
The probe times each variant on the GPU (CUDA events) and on the host (the time
to enqueue one forward), on copies of one random-weight transformer.
"""

from __future__ import annotations

import copy
import json
import statistics
import time
from typing import Any

from gpu_probes import _time, first_call

#: (name, FP8 scales or None for bf16, CUDA graphs on).
GRAPH_VARIANTS: list[tuple[str, str | None, bool]] = [
    ("bf16", None, False),
    ("bf16-graphs", None, True),
    ("fp8", "row", False),
    ("fp8-graphs", "row", True),
]


def _host_time(forward: Any, repeats: int = 5) -> float:
    """Median seconds the host takes to enqueue one forward (the GPU idle at the start of each)."""
    import torch

    times = []
    for _ in range(repeats):
        torch.cuda.synchronize()
        started = time.perf_counter()
        forward()
        times.append(time.perf_counter() - started)
    torch.cuda.synchronize()
    return statistics.median(times)


def cudagraph_probe(guidance: float = 1.0) -> dict[str, Any]:
    """LTX 2B transformer forward at 768x512x121 (``guidance`` 1: batch of one), blocks compiled with and without graphs."""
    import torch
    from torch._dynamo.utils import counters

    from reelgen.core.accel import compile as regional
    from reelgen.core.accel import lossy

    base, args, kwargs = first_call("ltx-2b", guidance_scale=guidance)
    rows: dict[str, Any] = {}
    reference = None
    for name, scales, graphs in GRAPH_VARIANTS:
        started = time.monotonic()
        model = copy.deepcopy(base)
        layers = lossy.fp8_linears(model, "row") if scales else 0
        options: dict[str, Any] = lossy.fp8_compile_options(model) if scales else {}
        if graphs:
            options["triton.cudagraphs"] = True
        regional.compile_blocks(model, options or None)

        def forward(model: Any = model) -> Any:
            torch.compiler.cudagraph_mark_step_begin()  # a new forward: earlier graph outputs are free
            return model(*args, **kwargs)

        skips = counters["inductor"]["cudagraph_skips"]
        torch.cuda.reset_peak_memory_stats()
        try:
            with torch.inference_mode():
                first = time.monotonic()
                for _ in range(3):  # compile, the graphs' warm-up, their recording
                    forward()
                torch.cuda.synchronize()
                first = time.monotonic() - first
                seconds = _time(forward, repeats=10)
                host = _host_time(forward)
                out = forward()[0].float()
        except Exception as exc:  # a variant that cannot run is a finding, not the end of the probe
            rows[name] = {"error": f"{type(exc).__name__}: {str(exc)[:2000]}"}
            print(json.dumps({name: rows[name]}), flush=True)
            _reset(torch)
            continue
        if reference is None:
            reference = out
        rows[name] = {
            "layers": layers,
            "forward_s": seconds,
            "host_enqueue_s": host,
            "rel_err_vs_bf16": float((out - reference).norm() / reference.norm()),
            "first_three_calls_s": first,
            "build_and_compile_s": time.monotonic() - started,
            "peak_gib": torch.cuda.max_memory_allocated() / 2**30,
            "cudagraph_skips": counters["inductor"]["cudagraph_skips"] - skips,
        }
        print(json.dumps({name: rows[name]}), flush=True)
        del model, forward, out
        _reset(torch)
    for name, row in rows.items():
        launched = rows.get(name.removesuffix("-graphs"), {})
        if name.endswith("-graphs") and "forward_s" in row and "forward_s" in launched:
            row["speedup_vs_launched"] = launched["forward_s"] / row["forward_s"]
    return rows


def _reset(torch: Any) -> None:
    """Each variant compiles and records afresh."""
    from torch._inductor import cudagraph_trees

    torch._dynamo.reset()
    cudagraph_trees.reset_cudagraph_trees()
    torch.cuda.empty_cache()

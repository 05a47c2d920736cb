"""Issue 17's probe of slow first calls: where torch.compile's time goes when a block has FP8 layers.

The fast path's FP8 blocks took 129-200 s to compile on LTX 2B and Wan 1.3B
and more than 430 s on Wan 14B, against 8-50 s for the bf16 blocks. This probe
builds a Wan transformer with a preset's width and only a few layers, or the
whole LTX 2B transformer (random weights), then times the first call of its
compiled blocks for bf16 and FP8 variants at the real input shape (CFG batch of
2) and the forward after it. A thread samples the main
thread's stack twice a second while the call runs and counts, per function, the
samples it appears in. Unlike cProfile, the counts so far are written to
``$OUT`` after every variant and every 20 s, so a call cut off by the device's
time limit still shows where it was.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from reelgen.core.accel.lossy import FP8_COMPILE_OPTIONS

#: Input shape of one forward at the issue's sizes: (latent frames, latent height, latent width).
LATENTS = {"wan-14b": (21, 90, 160), "wan-1.3b": (21, 60, 104)}
#: Probe variants: (name, preset whose width is built, layers, FP8 linears, Inductor options).
VARIANTS: list[tuple[str, str, int, bool, str]] = [
    ("wan14-bf16-2l", "wan-14b", 2, False, "none"),
    ("wan14-fp8-mk-2l", "wan-14b", 2, True, "multi-kernel"),
    ("wan14-fp8-fast-2l", "wan-14b", 2, True, "fast"),
    ("wan14-fp8-defaults-2l", "wan-14b", 2, True, "none"),
    ("wan13-fp8-mk-2l", "wan-1.3b", 2, True, "multi-kernel"),
    ("wan13-fp8-fast-2l", "wan-1.3b", 2, True, "fast"),
    # Is coordinate descent worth its first-call time on LTX 2B (all 28 blocks; small, many kernels)?
    ("ltx-bf16", "ltx-2b", 28, False, "none"),
    ("ltx-fp8-mk", "ltx-2b", 28, True, "multi-kernel"),
    ("ltx-fp8-fast", "ltx-2b", 28, True, "fast"),
]
#: Inductor settings by the name a variant gives: multi-kernel with coordinate descent tuning (the fast
#: path's for Wan's FP8 blocks), multi-kernel alone (its FP8 settings for other blocks), none.
OPTIONS: dict[str, dict[str, Any] | None] = {
    "none": None,
    "multi-kernel": FP8_COMPILE_OPTIONS,
    "fast": FP8_COMPILE_OPTIONS | {"coordinate_descent_tuning": True},
}


class StackSampler:
    """Counts, every ``interval`` seconds, which functions the main thread is inside (and which it is in last)."""

    def __init__(self, interval: float = 0.5, dump: Path | None = None) -> None:
        self.interval = interval
        self.dump = dump
        self.samples = 0
        self.inclusive: Counter[str] = Counter()
        self.leaf: Counter[str] = Counter()
        self._stop = threading.Event()
        self._main = threading.main_thread().ident
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> StackSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            frame = sys._current_frames().get(self._main or 0)
            if frame is None:
                continue
            seen: set[str] = set()
            leaf = None
            while frame is not None:
                code = frame.f_code
                where = f"{_short(code.co_filename)}:{code.co_name}"
                leaf = leaf or f"{where}:{frame.f_lineno}"
                seen.add(where)
                frame = frame.f_back
            self.samples += 1
            self.inclusive.update(seen)
            if leaf:
                self.leaf[leaf] += 1
            if self.dump and self.samples % 40 == 0:
                self.dump.write_text(json.dumps(self.report(), indent=1))

    def report(self, top: int = 45) -> dict[str, Any]:
        s = self.interval
        return {
            "samples": self.samples,
            "inclusive_s": {k: round(v * s, 1) for k, v in self.inclusive.most_common(top)},
            "leaf_s": {k: round(v * s, 1) for k, v in self.leaf.most_common(25)},
        }


def _short(path: str) -> str:
    for mark in ("site-packages/", "/src/", "/lib/python3"):
        if mark in path:
            return path.split(mark, 1)[1]
    return path


def _model_and_inputs(preset: str, layers: int) -> tuple[Any, dict[str, Any]]:
    """The transformer of ``preset`` (Wan: ``layers`` of its blocks; LTX: all of them) and one forward's inputs."""
    import torch
    from diffusers import WanTransformer3DModel

    from reelgen.core import bench_models
    from reelgen.core.backends.wan import configs

    if preset == "ltx-2b":
        from gpu_probes import first_call

        model, args, kwargs = first_call("ltx-2b")  # the pipeline's own first-step inputs, CFG batch of 2
        return model, dict(zip(("hidden_states",), args, strict=False)) | kwargs
    config = dict(configs.TRANSFORMER_1_3B, num_layers=layers)
    if preset == "wan-14b":
        config |= {k: v for k, v in bench_models.WAN_14B_OVERRIDES.items() if k != "num_layers"}
    model = bench_models.random_module(lambda: WanTransformer3DModel(**config), "cuda", torch.bfloat16)
    frames, height, width = LATENTS[preset]
    gen = torch.Generator("cuda").manual_seed(0)
    latents = torch.randn(2, 16, frames, height, width, device="cuda", dtype=torch.bfloat16, generator=gen)
    text = torch.randn(2, 512, 4096, device="cuda", dtype=torch.bfloat16, generator=gen)
    return model, {
        "hidden_states": latents,
        "timestep": torch.tensor([999, 999], device="cuda"),
        "encoder_hidden_states": text,
        "return_dict": False,
    }


def median_forward(model: Any, kwargs: dict[str, Any], calls: int) -> float:
    """Median seconds of ``calls`` forwards of ``model(**kwargs)`` on the GPU (CUDA events, each synchronised)."""
    import torch

    times = []
    for _ in range(calls):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        model(**kwargs)
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return sorted(times)[calls // 2]


def _variant(out: Path, name: str, preset: str, layers: int, fp8: bool, options: str) -> dict[str, Any]:
    import torch

    from reelgen.core.accel import compile as regional
    from reelgen.core.accel import lossy

    model, kwargs = _model_and_inputs(preset, layers)
    row: dict[str, Any] = {"preset": preset, "layers": layers, "fp8": fp8, "options": options}
    if fp8:
        row["fp8_layers"] = lossy.fp8_linears(model)
    regional.compile_blocks(model, OPTIONS[options])
    before_counts, before_s = regional.compile_counts(), regional.compile_seconds()
    started = time.monotonic()
    with torch.inference_mode(), StackSampler(dump=out / f"{name}-stacks.json") as sampler:
        model(**kwargs)
        torch.cuda.synchronize()
        row["first_call_s"] = time.monotonic() - started
        again = time.monotonic()
        model(**kwargs)
        torch.cuda.synchronize()
        row["second_call_s"] = time.monotonic() - again
        row["forward_s"] = median_forward(model, kwargs, 9)
    after_s = regional.compile_seconds()
    row["graphs"] = regional.compile_counts()["frames_compiled"] - before_counts["frames_compiled"]
    phases = {k: round(v - before_s.get(k, 0.0), 2) for k, v in after_s.items()}
    row["compile_phases_s"] = dict(sorted(phases.items(), key=lambda kv: -kv[1])[:15])
    row["profile"] = sampler.report()
    del model
    torch.cuda.empty_cache()
    torch._dynamo.reset()
    return row


def compile_probe(out: Path, names: list[str] | None = None) -> dict[str, Any]:
    """Each variant's first-call time, graphs, torch.compile phases and sampled stacks; JSON to ``out`` as it goes.

    ``names`` picks variants of ``VARIANTS`` and their order (default: all, in the order listed).
    """
    import torch._inductor.config as inductor

    known = {name: spec for name, *spec in VARIANTS}
    unknown = sorted(set(names or ()) - set(known))
    if unknown:
        raise SystemExit(f"unknown variants {unknown}; valid: {', '.join(known)}")
    results: dict[str, Any] = {}
    for name in names or list(known):  # in the order given: what compiled before can change what follows
        spec = known[name]
        # Cold caches in each variant: the FX graph cache would let a later variant reuse an earlier one's work.
        with inductor.patch(fx_graph_cache=False, autotune_local_cache=False):
            try:
                results[name] = _variant(out, name, *spec)  # type: ignore[arg-type]
            except Exception as exc:
                results[name] = {"error": f"{type(exc).__name__}: {str(exc)[:2000]}"}
        print(json.dumps({name: {k: v for k, v in results[name].items() if k != "profile"}}), flush=True)
        (out / "compile-probe.json").write_text(json.dumps(results, indent=1))
    return results


def main() -> None:
    # `--help` made a folder named "--help" and ran every variant: the arguments were read by position alone.
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for compile-probe.json and the sampled stacks")
    parser.add_argument(
        "variants", nargs="*", help=f"in this order (default: all): {', '.join(v[0] for v in VARIANTS)}"
    )
    args = parser.parse_args()
    unknown = [name for name in args.variants if name not in {v[0] for v in VARIANTS}]
    if unknown:
        parser.error(f"unknown variant {unknown[0]!r}; valid: {', '.join(v[0] for v in VARIANTS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    compile_probe(args.out, args.variants or None)


if __name__ == "__main__":
    main()

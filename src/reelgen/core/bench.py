"""Benchmarks: stock diffusers against reelgen's fast path on identical inputs in one process, per stage.

``run`` builds the model once (full size with random weights, a tiny build,
or real weights), then renders the same request with each variant in turn:
``stock`` (diffusers untouched), ``reelgen`` (the lossless fast path), lossy
modes, and ``budget`` (the fast path under a GPU memory cap). Each stage (text
encoding, every denoising step, VAE decode, MP4 encode) gets its time, peak
VRAM and achieved TFLOP/s against a bf16 GEMM measured in the same run; each
variant gets its relative error against stock, and its warm-up's time and compiles.
``bench_request`` (one render through ``render()``) stays for the CPU benchmarks.
"""

from __future__ import annotations

import logging
import statistics
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from reelgen.core.accel import AccelConfig
from reelgen.core.bench_flops import score, stage_flops
from reelgen.core.bench_stages import StageClock, watching
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.render import render
from reelgen.core.spec.request import ResolvedRequest

#: Variant name -> the fast-path switches it runs with. ``budget`` is the fast path under a memory cap.
VARIANTS: dict[str, AccelConfig] = {
    "stock": AccelConfig.stock(),
    "reelgen": AccelConfig(),
    "sdpa": AccelConfig(attention="sdpa"),
    "no-compile": AccelConfig(compile=False),
    "budget": AccelConfig(),
    "fp8": AccelConfig(lossy=("fp8",)),
    "fp8-attention": AccelConfig(lossy=("fp8-attention",)),
    "fp8-all": AccelConfig(lossy=("fp8", "fp8-attention")),
    "taylorseer": AccelConfig(lossy=("taylorseer",)),
    "first-block-cache": AccelConfig(lossy=("first-block-cache",)),
}
#: What a run without a CUDA GPU leaves null in its report, and why.
NOT_MEASURED_ON_CPU = {
    "peak_vram_gib": "no CUDA GPU: peaks are read from the GPU allocator's counters",
    "bf16_roof_tflops": "no CUDA GPU: the roof is a bf16 GEMM timed on one (so no roof_fraction)",
}
#: Variants that change weights for good run last, whatever order they were asked in.
_IRREVERSIBLE = ("fp8", "fp8-all")
#: One line per finished phase, so a long full-size benchmark shows where its time goes.
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BenchOptions:
    """How to run one benchmark: the variants, their warm-up, the memory cap, where MP4s go."""

    variants: tuple[str, ...] = ("stock", "reelgen")
    warmup_steps: int = 1
    stock_warmup: bool = True
    budget_gib: float | None = None
    #: The offload rung the budget variant runs on instead of the planner's choice (None: the planner's).
    budget_plan: str | None = None
    out_dir: Path | None = None


def relative_error(value: Any, reference: Any) -> float | None:
    """‖value − reference‖ / ‖reference‖ in float64; None when either is missing or shapes differ."""
    if value is None or reference is None:
        return None
    a, b = (np.asarray(_numpy(x), dtype=np.float64) for x in (value, reference))
    if a.shape != b.shape:
        return None
    norm = float(np.linalg.norm(b))
    return float(np.linalg.norm(a - b) / norm) if norm else float(np.linalg.norm(a))


def _numpy(x: Any) -> Any:
    return x.detach().float().cpu().numpy() if hasattr(x, "detach") else x


def _cut(value: str, most: int = 60) -> str:
    """``value`` cut to its start for an error: a pasted paragraph was echoed whole."""
    return value if len(value) <= most else value[:most] + "..."


def check_warmup(steps: int) -> None:
    """Refuse a warm-up a benchmark could not finish: 100000000 steps ran for ever, below 0 meant nothing."""
    from reelgen.core.spec.request import MAX_STEPS

    if not 0 <= steps <= MAX_STEPS:  # the same cap as a request's --steps
        raise InvalidRequest(
            f"--warmup-steps {steps}: give a whole number from 0 to {MAX_STEPS} (0: no warm-up run)",
            param="warmup_steps",
        )


def check_variants(
    names: tuple[str, ...], budget_gib: float | None, budget_plan: str | None = None
) -> tuple[str, ...]:
    """The variants in run order (stock first, weight-changing ones last), or an error naming the bad one."""
    from reelgen.core.spec.memory import LADDER

    if budget_plan is not None and budget_plan not in LADDER:
        raise InvalidRequest(
            f"--budget-plan {_cut(budget_plan)}: not an offload rung; valid: {', '.join(LADDER)}",
            param="budget_plan",
        )
    if budget_plan is not None and "budget" not in names:
        raise InvalidRequest(
            "--budget-plan applies to the budget variant: add budget to --variants", param="budget_plan"
        )
    if budget_gib is not None and "budget" not in names:  # the cap was dropped without a word
        raise InvalidRequest("--budget caps the budget variant: add budget to --variants", param="budget")
    if not names:  # "--variants ," ran nothing and then failed looking for a result
        raise InvalidRequest(f"--variants names none; valid: {', '.join(VARIANTS)}", param="variants")
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        raise InvalidRequest(
            f"--variants: unknown variant {_cut(unknown[0])!r}; valid: {', '.join(VARIANTS)}",
            param="variants",
        )
    if "budget" in names and budget_gib is None:
        raise InvalidRequest("variant budget needs --budget GIB (the memory cap)", param="budget")
    irreversible = [n for n in dict.fromkeys(names) if n in _IRREVERSIBLE]
    if "budget" in names and irreversible:
        raise InvalidRequest(
            f"run budget and {irreversible[0]} in separate benchmarks: {irreversible[0]} changes the weights "
            "for good",
            param="variants",
        )
    if len(irreversible) > 1:
        raise InvalidRequest(
            f"run {' and '.join(irreversible)} in separate benchmarks: each changes the weights for good",
            param="variants",
        )
    ordered = sorted(dict.fromkeys(names), key=lambda n: (n != "stock", n == "budget", n in _IRREVERSIBLE))
    return tuple(ordered)


def _no_budget_without_gpu(device_name: str) -> None:
    """Refuse the budget variant on a machine without a CUDA GPU: the cap is a share of a GPU's memory."""
    raise InvalidRequest(
        f"variant budget caps GPU memory, and this machine has no CUDA GPU ({device_name}); "
        "leave budget out of --variants",
        param="variants",
    )


def run(request: ResolvedRequest, options: BenchOptions) -> dict[str, Any]:
    """Benchmark ``request`` under each variant; returns the JSON-ready report."""
    from reelgen.core import bench_models
    from reelgen.core.devices import device_info, empty_cache
    from reelgen.core.spec import registry

    check_warmup(options.warmup_steps)
    dev = device_info()
    cuda = dev.device.startswith("cuda")
    # Checked before check_variants too: "budget needs --budget GIB" sent a CPU user to a second refusal.
    if not cuda and "budget" in options.variants and options.budget_gib is None:
        _no_budget_without_gpu(dev.name)
    variants = check_variants(options.variants, options.budget_gib, options.budget_plan)
    if "budget" in variants and not cuda:
        _no_budget_without_gpu(dev.name)
    spec, preset = registry.resolve(request.model)
    roof = bench_models.gemm_roof_tflops(dev.device) if cuda else None
    plan = spec.plan(preset, request, dev, None)
    runner: Any = spec.runner_class()(spec, preset)
    from reelgen.core.backends.plumbing import silence_library_bars

    silence_library_bars()  # diffusers' "Loading pipeline components" bar came between the progress lines
    started = time.perf_counter()
    if not cuda and not preset.tiny and not request.weights and preset.name in bench_models.FULL_SIZE:
        # ltx-2b's random build alone ran past 2 minutes on a 2-core CPU with nothing said.
        _log.warning(
            "%s is built full size with random weights; on a CPU the build alone takes minutes "
            "(full-size benchmarks are for a CUDA GPU; Ctrl-C stops it)",
            preset.name,
        )
    bench_models.load_or_build(runner, plan, request.weights)
    build_s = time.perf_counter() - started
    _log.info("built %s in %.1f s", preset.name, build_s)
    report: dict[str, Any] = {
        "model": preset.name,
        "size": f"{request.width}x{request.height}x{request.num_frames}",
        "steps": request.steps,
        "guidance": request.guidance,
        "device": {"name": dev.name, "total_gib": dev.total_gib, **_versions()},
        "bf16_roof_tflops": roof,
        "build_s": round(build_s, 2),
        "variants": {},
    }
    if not cuda:  # said, so a null reads as "cannot be measured here", not as a figure gone missing
        report["not_measured"] = dict(NOT_MEASURED_ON_CPU)
    results: dict[str, dict[str, Any]] = {}
    clocks: dict[str, StageClock] = {}
    for name in variants:
        config = VARIANTS[name]
        if name == "budget":
            plan = _cap_memory(
                runner, spec, preset, request, dev, options.budget_gib or 0.0, options.budget_plan
            )
        else:
            runner.accelerate(config)
        warmup: dict[str, Any] = {}
        if options.warmup_steps and (name != "stock" or options.stock_warmup):
            warmup = _warm_up(runner, request.model_copy(update={"steps": options.warmup_steps}), dev.device)
            _log.info(
                "%s: warm-up %.1f s, %d graphs compiled; slowest compile phases (s): %s",
                name,
                warmup["warmup_s"],
                warmup["warmup_graphs"],
                warmup["warmup_compile_s"],
            )
        clocks[name], results[name] = _render(runner, request, dev.device, _mp4(options, name))
        _log.info("%s: timed run %.1f s", name, results[name]["e2e_s"])
        results[name] |= warmup | {
            "accel": runner.accel_record,
            "plan": plan.describe(),
            "planned_gib": plan.need_gib,
            "vae_tiles_px": getattr(runner, "vae_tiles", None),
        }
        if name == "budget":
            _uncap_memory(dev.device)
        empty_cache()
    flops = stage_flops(runner, clocks.get("stock") or next(iter(clocks.values())), request.steps)
    # Errors are against stock diffusers, or against the lossless fast path when stock did not run.
    ref_name = next((n for n in ("stock", "reelgen") if n in clocks), None)
    reference = clocks[ref_name] if ref_name else None
    report["error_reference"] = ref_name
    for name, result in results.items():
        score(result, flops, roof)
        if reference is not None:
            result["output_rel_err"] = relative_error(clocks[name].frames, reference.frames)
            result["first_forward_rel_err"] = relative_error(
                clocks[name].first_output, reference.first_output
            )
    report["flops"] = flops
    report["variants"] = results
    return report


# ---- one timed render --------------------------------------------------------------------------


def _render(
    runner: Any, request: ResolvedRequest, device: str, mp4: Path | None
) -> tuple[StageClock, dict[str, Any]]:
    """One generate plus MP4 encode, clocked per stage; the MP4 is written to ``mp4`` or a scratch file."""
    import tempfile

    import torch

    from reelgen.core.accel import compile as regional
    from reelgen.core.accel import transformers_of
    from reelgen.core.encode import write_video

    clock = StageClock(device)
    cuda = device.startswith("cuda")
    if cuda:
        torch.cuda.synchronize(device)
    compiled_before = regional.compile_counts() if cuda else None
    started = time.perf_counter()
    with watching(clock, runner.pipe, transformers_of(runner.pipe)[0]):
        video = runner.generate(request, Progress(on_event=clock.on_event))
    generated = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        write_video(video, mp4 or Path(scratch) / "bench.mp4")
    done = time.perf_counter()
    stages = clock.stage_seconds()
    steps = stages.get("steps_s") or []
    result: dict[str, Any] = {
        "e2e_s": done - started,
        "generate_s": generated - started,
        "mp4_encode_s": done - generated,
        **stages,
        "step_median_s": statistics.median(steps) if steps else None,
        "peak_gib": dict(clock.peaks),
        "peak_vram_gib": max(clock.peaks.values(), default=None),
        "transformer_calls": clock.transformer_calls,
    }
    if compiled_before is not None:
        after = regional.compile_counts()
        result["recompiles"] = after["frames_compiled"] - compiled_before["frames_compiled"]
        result["graph_breaks"] = after["graph_breaks"] - compiled_before["graph_breaks"]
    return clock, result


def _warm_up(runner: Any, request: ResolvedRequest, device: str) -> dict[str, Any]:
    """An untimed render (it loads, compiles and autotunes); how long it took and how many graphs it compiled.

    The first call of a compiled variant is what a user waits for once per process and shape.
    """
    from reelgen.core.accel import compile as regional

    compiled, phases = regional.compile_counts()["frames_compiled"], regional.compile_seconds()
    started = time.perf_counter()
    _render(runner, request, device, None)
    spent = {k: round(v - phases.get(k, 0.0), 2) for k, v in regional.compile_seconds().items()}
    # The ten slowest compile phases (nested, so they overlap): where a slow first call went.
    slowest = sorted((kv for kv in spent.items() if kv[1] >= 0.05), key=lambda kv: -kv[1])[:10]
    return {
        "warmup_s": time.perf_counter() - started,
        "warmup_graphs": regional.compile_counts()["frames_compiled"] - compiled,
        "warmup_compile_s": dict(slowest),
    }


def _mp4(options: BenchOptions, name: str) -> Path | None:
    # Not made here: write_video makes the folder as the MP4 lands (a run failing first left it empty).
    return None if options.out_dir is None else options.out_dir / f"{name}.mp4"


def _cap_memory(
    runner: Any,
    spec: Any,
    preset: Any,
    request: ResolvedRequest,
    dev: Any,
    budget: float,
    rung: str | None = None,
) -> Any:
    """Re-place the model for a ``budget`` GiB plan (on ``rung`` if given), with the allocator capped there."""
    import torch

    from reelgen.core.devices import empty_cache

    plan = spec.plan(preset, request, dev, budget)
    if rung is not None and rung != plan.strategy:
        # The rung asked for, sized by the planner as it would size it (CFG batched or not).
        chosen = plan.strategy
        plan = spec.plan(preset, request, dev, budget, rungs=(rung,))
        plan = replace(plan, reason=f"{rung} asked for; the planner chose {chosen}. {plan.reason}")
    runner.accelerate(AccelConfig.stock())  # unhook before the parts move
    runner.pipe.to("cpu")
    empty_cache()
    torch.cuda.set_per_process_memory_fraction(min(1.0, budget / dev.total_gib), dev.device)
    runner.place(runner.pipe, plan, VARIANTS["budget"])
    return plan


def _uncap_memory(device: str) -> None:
    import torch

    torch.cuda.set_per_process_memory_fraction(1.0, device)


def _versions() -> dict[str, str]:
    import diffusers
    import torch

    return {"torch": torch.__version__, "diffusers": diffusers.__version__}


def bench_request(
    request: ResolvedRequest, output: Path, *, vram_budget_gib: float | None = None
) -> dict[str, Any]:
    """Render ``request`` once and report where the time and memory went."""
    steps: list[float] = []

    def on_event(event: ProgressEvent) -> None:
        if event.stage == "denoise" and event.step > 0:
            steps.append(event.elapsed_s)

    started = time.monotonic()
    result = render(request, output, progress=Progress(on_event=on_event), vram_budget_gib=vram_budget_gib)
    wall = time.monotonic() - started
    meta = result.metadata
    per_step = [b - a for a, b in zip([0.0, *steps], steps, strict=False)]
    denoise = steps[-1] if steps else None
    timings = meta["timings"]
    return {
        "model": meta["model"]["name"],
        "size": f"{result.video.width}x{result.video.height}x{result.video.num_frames}",
        "steps": len(steps),
        "wall_s": round(wall, 3),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "denoise_s": None if denoise is None else round(denoise, 3),
        "step_median_s": round(statistics.median(per_step), 4) if per_step else None,
        # Text encoding before the first step plus VAE decode after the last.
        "outside_denoise_s": None if denoise is None else round(timings["generate"] - denoise, 3),
        "peak_vram_gib": None if meta["peak_vram_gib"] is None else round(meta["peak_vram_gib"], 2),
        "memory_plan": meta["memory_plan"]["strategy"],
        "device": meta["device"]["name"],
        "output": str(result.path),
    }

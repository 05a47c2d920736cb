"""GPU benchmark driver for issue 17: runs `reelgen bench` cases plus attention and MP4-encode probes, JSON to --out.

Each bench case is one `reelgen bench` process (the model built once with
random weights, stock diffusers and reelgen's variants on identical inputs).
The probes time attention kernels alone at the real shapes and the MP4
encoder's presets. Usage on the GPU machine, with the wheels unpacked in
/tmp/site:

    PYTHONPATH=/tmp/site:/tmp/site/nvidia_cutlass_dsl/dsl_packages:src \\
        python3 benchmarks/gpu_core.py --out $OUT attention encode fp8 ltx8 ltx40
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reelgen.core.accel.lossy import FP8Scales

#: Case -> `reelgen bench` arguments. Sizes and steps are the issue's targets.
# fmt: off
CASES: dict[str, list[str]] = {
    "ltx8": ["-m", "ltx-2b", "--size", "768x512x121", "--steps", "8", "--guidance", "1"],
    "ltx40": ["-m", "ltx-2b", "--size", "768x512x121", "--steps", "40", "--guidance", "3",
              "--variants", "stock,reelgen,fp8"],
    "ltx-budget": ["-m", "ltx-2b", "--size", "768x512x121", "--steps", "8", "--guidance", "1",
                   "--variants", "reelgen,budget", "--budget", "6"],
    "wan5": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "5", "--guidance", "5"],
    "wan50": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "50", "--guidance", "5",
              "--variants", "reelgen"],
    "wan-budget": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "5", "--guidance", "5",
                   "--variants", "reelgen,budget", "--budget", "6"],
    "wan50-budget": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "50", "--guidance", "5",
                     "--variants", "reelgen,budget", "--budget", "6"],
    "wan50-cache": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "50", "--guidance", "5",
                    "--variants", "reelgen,taylorseer"],
    "ltx40-cache": ["-m", "ltx-2b", "--size", "768x512x121", "--steps", "40", "--guidance", "3",
                    "--variants", "stock,reelgen,taylorseer"],
    "wan-fp8": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "5", "--guidance", "5",
                "--variants", "reelgen,fp8"],
    "wan14": ["-m", "wan-14b", "--size", "1280x720x81", "--steps", "1", "--guidance", "5",
              "--no-stock-warmup"],
    "wan14-budget": ["-m", "wan-14b", "--size", "1280x720x81", "--steps", "2", "--guidance", "5",
                     "--variants", "budget", "--budget", "12", "--budget-plan", "group_offload"],
}
# fmt: on
#: Attention alone at the real shapes: (label, batch, heads, tokens, head size).
SHAPES = [
    ("ltx-2b 768x512x121 CFG", 2, 32, 6144, 64),
    ("wan-1.3b 832x480x81 CFG", 2, 12, 32760, 128),
    ("wan-14b 1280x720x81", 1, 40, 75600, 128),
]


#: `reelgen` run from a source tree (PYTHONPATH=src): no entry points installed, so the families register here.
_MAIN = (
    "import sys; from reelgen.core.spec import registry; "
    "from reelgen.core.backends import ltx, wan; registry.register(ltx.SPEC); registry.register(wan.SPEC); "
    "from reelgen.cli import main; sys.argv[0] = 'reelgen'; main()"
)


def bench_case(name: str, work: Path, timeout: float) -> dict[str, Any]:
    """One `reelgen bench` process; its JSON report, or what went wrong (reports, logs and MP4s kept in ``work``)."""
    report = work / f"{name}.json"
    cmd = [sys.executable, "-c", _MAIN]
    cmd += ["bench", *CASES[name], "--json", str(report), "--keep", str(work / name)]
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"case": name, "error": f"timed out after {timeout:.0f} s"}
    (work / f"{name}.log").write_text(proc.stdout[-20000:] + proc.stderr[-20000:])
    if proc.returncode != 0 or not report.exists():
        return {"case": name, "error": proc.stderr[-3000:], "wall_s": time.monotonic() - started}
    table = proc.stdout[proc.stdout.rfind("\n", 0, proc.stdout.rfind("variant")) + 1 :]
    print(table, flush=True)
    return {"case": name, "wall_s": time.monotonic() - started, **json.loads(report.read_text())}


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


def _time(fn: Any, repeats: int = 5) -> float:
    import torch

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


def first_call(name: str) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
    """The full-size random-weight transformer of ``name`` and the inputs of its first forward.

    The pipeline runs one step with the shape of ``FIRST_CALLS``; the rest of it
    (text encoder, VAE) is dropped before the probe goes on.
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
            **FIRST_CALLS[name],
        )
    hook.remove()
    transformer = pipe.transformer
    pipe.transformer = None
    del pipe
    torch.cuda.empty_cache()
    args, kwargs = captured["call"]
    return transformer, args, kwargs


#: fp8 probe variants: (name, FP8 scales or None for bf16, compile with Inductor's max-autotune, layers
#: kept in bf16 by their names' ends).
FP8_VARIANTS: dict[str, list[tuple[str, FP8Scales | None, bool, tuple[str, ...]]]] = {
    "fp8": [("bf16", None, False, ()), ("fp8-row", "row", False, ()), ("fp8-tensor", "tensor", False, ())],
    "fp8-autotune": [
        ("bf16", None, False, ()),
        ("bf16-autotune", None, True, ()),
        ("fp8-row", "row", False, ()),
        ("fp8-row-autotune", "row", True, ()),
    ],
    # Cross-attention's key and value layers read only the 128 text tokens: is FP8 there worth its cost?
    # (Run 7: keeping them bf16 lowered the error, not the time.)
    "fp8-text": [
        ("bf16", None, False, ()),
        ("fp8-row", "row", False, ()),
        ("fp8-row-text-bf16", "row", False, ("attn2.to_k", "attn2.to_v")),
    ],
}


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
    for name, scales, autotune, keep in FP8_VARIANTS[case]:
        started = time.monotonic()
        model = copy.deepcopy(base)
        layers = lossy.fp8_linears(model, scales, keep=keep) if scales else 0
        regional.compile_blocks(model)
        forward = functools.partial(model, *args, **kwargs)
        with torch.inference_mode():
            with inductor.patch(max_autotune=autotune):
                for _ in range(2):  # compiles
                    forward()
            seconds = _time(forward, repeats=10)
            out = forward()[0].float()
        if reference is None:
            reference = out
        rows[name] = {
            "layers": layers,
            "forward_s": seconds,
            "tflops_bf16_equiv": flops / seconds / 1e12,
            "rel_err_vs_bf16": float((out - reference).norm() / reference.norm()),
            "build_and_compile_s": time.monotonic() - started - 12 * seconds,
        }
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


def encode_probe(out: Path) -> dict[str, Any]:
    """MP4 encode time of a 768x512x121 clip per x264 preset and RGB -> YUV conversion threads (0: serial)."""
    import numpy as np

    from reelgen.core import encode
    from reelgen.core.types import Video, to_fraction

    t = np.arange(121)[:, None, None]
    y, x = np.mgrid[0:512, 0:768]
    wave = ((np.sin(x / 40 + t / 6) + np.cos(y / 30 - t / 9)) * 60 + 128).astype(np.uint8)
    smooth = np.ascontiguousarray(np.stack([wave, 255 - wave, wave // 2], axis=-1))
    noisy = np.random.default_rng(0).integers(0, 256, (121, 512, 768, 3), dtype=np.uint8)
    default = encode.convert_workers()
    rows = []
    for content, frames in (("smooth", smooth), ("noise", noisy)):
        video = Video(frames, to_fraction(25.0))
        for preset in ("veryfast", "superfast", "ultrafast"):
            for threads in (0, 2, 4, 8):
                encode.convert_workers = lambda n=threads: n  # type: ignore[misc]
                started = time.perf_counter()
                path = encode.write_video(video, out / "probe.mp4", preset=preset)
                rows.append(
                    {
                        "content": content,
                        "preset": preset,
                        "convert_threads": threads,
                        "seconds": round(time.perf_counter() - started, 3),
                        "bytes": path.stat().st_size,
                    }
                )
        print(json.dumps(rows[-12:]), flush=True)
    (out / "probe.mp4").unlink(missing_ok=True)
    return {"cpu_count": os.cpu_count(), "default_convert_threads": default, "rows": rows}


def vae_probe() -> dict[str, Any]:
    """LTX 2B's VAE decode of a 768x512x121 clip (bf16, cuDNN autotuned) as the fast path runs it, against
    channels-last-3d, the decoder compiled whole or block by block, and both; each output's relative error
    against the first."""
    import copy

    import torch
    from diffusers import AutoencoderKLLTXVideo

    from reelgen.core import bench_models
    from reelgen.core.backends.ltx.weights import full_configs

    torch.backends.cudnn.benchmark = True
    config = full_configs("ltx-2b")["vae"]
    base = bench_models.random_module(lambda: AutoencoderKLLTXVideo(**config), "cuda", torch.bfloat16)
    gen = torch.Generator("cuda").manual_seed(0)
    latents = torch.randn(1, 128, 16, 16, 24, device="cuda", dtype=torch.bfloat16, generator=gen)
    temb = torch.full((1,), 0.05, device="cuda", dtype=torch.bfloat16)
    kwargs = {"temb": temb} if base.config.get("timestep_conditioning") else {}

    def timed(vae: Any, z: torch.Tensor) -> tuple[float, torch.Tensor]:
        with torch.inference_mode():
            for _ in range(2):
                out = vae.decode(z, **kwargs, return_dict=False)[0]
            torch.cuda.synchronize()
            start = time.perf_counter()
            for _ in range(3):
                out = vae.decode(z, **kwargs, return_dict=False)[0]
            torch.cuda.synchronize()
        return (time.perf_counter() - start) / 3, out.float()

    rows: dict[str, Any] = {}
    reference = None
    variants = (
        "eager",
        "channels_last_3d",
        "compiled",
        "compiled+channels_last_3d",
        "regional+channels_last_3d",
        "regional",
    )
    for variant in variants:
        vae, z = copy.deepcopy(base), latents
        torch.cuda.reset_peak_memory_stats()
        if "channels_last_3d" in variant:
            vae = vae.to(memory_format=torch.channels_last_3d)
            z = latents.contiguous(memory_format=torch.channels_last_3d)
        if variant.startswith("compiled"):
            vae.decoder = torch.compile(vae.decoder, dynamic=False)
        if variant.startswith("regional"):  # each resnet and upsampler compiled on its own
            for module in vae.decoder.modules():
                if type(module).__name__ in ("LTXVideoResnetBlock3d", "LTXVideoUpsampler3d"):
                    module.compile(dynamic=False)
        try:
            started = time.perf_counter()
            seconds, out = timed(vae, z)
            warmup = time.perf_counter() - started - 3 * seconds  # the two untimed calls: compile, autotune
        except Exception as exc:  # a variant that cannot run is a finding, not the end of the probe
            rows[variant] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
            continue
        reference = out if reference is None else reference
        rows[variant] = {
            "seconds": round(seconds, 4),
            "warmup_s": round(warmup, 1),
            "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2),
            "rel_err_vs_eager": float((out - reference).norm() / reference.norm()),
        }
        print(json.dumps({variant: rows[variant]}), flush=True)
        del vae, out
        torch.cuda.empty_cache()
    return rows


#: Wan VAE tilings tried by ``wan-vae-tiles``: (name, tile height, tile width, stride height, stride width) in
#: pixels of the 832x480 frame; None is the untiled decode, "default" diffusers' 256/192 tiles.
WAN_TILES: list[tuple[str, int | None, int | None, int | None, int | None]] = [
    ("untiled", None, None, None, None),
    ("default 256/192", 256, 256, 192, 192),
    ("1x2", 480, 480, 480, 416),
    ("2x2", 304, 480, 240, 416),
    ("2x3", 304, 344, 240, 280),
    ("1x3", 480, 344, 480, 280),
    ("1x4", 480, 272, 480, 208),
]


def wan_vae_tiles_probe() -> dict[str, Any]:
    """Wan 2.1's VAE decode (float32, full size, random weights) of an 832x480x81 clip, untiled and in
    tiles of several sizes: time, the decode's own peak VRAM (beyond what was allocated before it) and
    the relative error against untiled."""
    import torch
    from diffusers import AutoencoderKLWan

    from reelgen.core import bench_models

    torch.backends.cudnn.benchmark = True
    vae = bench_models.random_module(AutoencoderKLWan, "cuda", torch.float32)
    gen = torch.Generator("cuda").manual_seed(0)
    latents = torch.randn(1, 16, 21, 60, 104, device="cuda", generator=gen)
    weights = torch.cuda.memory_allocated()
    rows: dict[str, Any] = {"weights_gib": round(weights / 2**30, 3)}
    reference = None
    for name, th, tw, sh, sw in WAN_TILES:
        if th is None:
            vae.disable_tiling()
        else:
            vae.enable_tiling(th, tw, sh, sw)
        with torch.inference_mode():
            vae.decode(latents, return_dict=False)  # cuDNN picks its algorithms for these shapes
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
            before = torch.cuda.memory_allocated()  # the weights, the latents and the untiled output kept
            start = time.perf_counter()
            out = vae.decode(latents, return_dict=False)[0]
            torch.cuda.synchronize()
            seconds = time.perf_counter() - start
        peak = torch.cuda.max_memory_allocated() - before
        reference = out if reference is None else reference
        rows[name] = {
            "tile_px": [th, tw, sh, sw],
            "seconds": round(seconds, 3),
            "peak_gib": round(peak / 2**30, 3),
            "rel_err_vs_untiled": float((out - reference).norm() / reference.norm()),
        }
        print(json.dumps({name: rows[name]}), flush=True)
        del out
    return rows


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/gpu_core"), help="per-case reports and logs")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per bench case")
    parser.add_argument("--tag", default="run", help="suffix of the combined report's name")
    parser.add_argument(
        "cases",
        nargs="+",
        help=f"attention, encode, fp8, fp8-autotune, offload, tolerance, vae, wan-vae-tiles, {', '.join(CASES)}",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for name in args.cases:
        started = time.monotonic()
        if name == "attention":
            results[name] = attention_probe()
        elif name == "encode":
            results[name] = encode_probe(args.out)
        elif name in FP8_VARIANTS:
            results[name] = fp8_probe(name)
        elif name == "tolerance":
            results[name] = tolerance_probe()
        elif name == "vae":
            results[name] = vae_probe()
        elif name == "offload":
            results[name] = offload_probe()
        elif name == "wan-vae-tiles":
            results[name] = wan_vae_tiles_probe()
        else:
            results[name] = bench_case(name, args.work, args.timeout)
        print(f"== {name}: {time.monotonic() - started:.1f} s", flush=True)
        (args.out / f"gpu_core-{args.tag}.json").write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()

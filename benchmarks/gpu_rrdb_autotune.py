"""GPU probe of issue 11's RRDB target: Inductor's own Triton convolution template, whose epilogue can take the glue.

Inductor's default compile leaves each convolution to cuDNN and puts the elementwise glue in
separate Triton kernels (16.7 ms of a 52.3 ms 480p frame). With ``max_autotune`` it can also
generate convolutions from its Triton template and fuse pointwise epilogues into them. This probe
compiles one regrouped dense block, then the whole x4plus network, under each setting and reports
the time, the fraction of the bf16 roof and the error against the fp32 block. Usage:

    PYTHONPATH=src:benchmarks python3 benchmarks/gpu_rrdb_autotune.py --out $OUT
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path
from typing import Any

import torch
from enhance_gpu import _random_fill, conv_flops, gemm_roof, timed

#: (label, inductor config) pairs; the first is the default compile reelgen uses today.
SETTINGS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("default", {}),
    ("max_autotune_triton_aten", {"max_autotune": True, "max_autotune_conv_backends": "TRITON,ATEN"}),
    ("max_autotune_triton_only", {"max_autotune": True, "max_autotune_conv_backends": "TRITON"}),
)


def compiled(module: torch.nn.Module, options: dict[str, Any]) -> Any:
    torch._dynamo.reset()
    return torch.compile(module, dynamic=False, options=options or None)


def block_rows(roof: float) -> list[dict[str, Any]]:
    from reelgen.core.enhance.upscale.arch import ResidualDenseBlock
    from reelgen.core.enhance.upscale.regroup import RegroupedDenseBlock

    torch.manual_seed(0)
    block = _random_fill(ResidualDenseBlock()).cuda().half().to(memory_format=torch.channels_last)
    x = torch.randn(1, 64, 480, 854, device="cuda", dtype=torch.float16)
    x = x.contiguous(memory_format=torch.channels_last)
    flops = 2.0 * 9 * 480 * 854 * (64 * 192 + 32 * (160 + 128 + 96 + 64))
    rows = []
    with torch.inference_mode():
        ref = copy.deepcopy(block).float()(x.float())
        for label, options in SETTINGS:
            for regroup in (True, False):
                module = RegroupedDenseBlock(block).cuda() if regroup else block
                start = time.perf_counter()
                try:
                    fn = compiled(module, options)
                    out = fn(x)
                    seconds = timed(lambda fn=fn: fn(x), 20)
                except Exception as exc:
                    rows.append(
                        {
                            "setting": label,
                            "regrouped": regroup,
                            "error": f"{type(exc).__name__}: {exc}"[:400],
                        }
                    )
                    continue
                rows.append(
                    {
                        "setting": label,
                        "regrouped": regroup,
                        "compile_s": round(time.perf_counter() - start, 1),
                        "ms": round(seconds * 1e3, 4),
                        "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
                        "relative_error_vs_fp32": float((out.float() - ref).norm() / ref.norm()),
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
    return rows


def network_row(roof: float, label: str, options: dict[str, Any]) -> dict[str, Any]:
    from reelgen.core.enhance.upscale.arch import RRDBNet
    from reelgen.core.enhance.upscale.torch_model import TorchUpscaler

    torch.manual_seed(0)
    base = _random_fill(RRDBNet())
    x = torch.rand(1, 3, 480, 854, device="cuda", dtype=torch.float16)
    x = x.contiguous(memory_format=torch.channels_last)
    flops = conv_flops(copy.deepcopy(base).to("cuda", torch.float16), x)
    up = TorchUpscaler(copy.deepcopy(base), 4, 1.0, "rrdb-x4plus", "random").to("cuda", torch.float16)
    start = time.perf_counter()
    with torch.inference_mode():
        fn = compiled(up.net, options)
        fn(x)
        compile_s = time.perf_counter() - start
        seconds = timed(lambda: fn(x), 10)
    return {
        "setting": label,
        "compile_s": round(compile_s, 1),
        "frame_ms": round(seconds * 1e3, 2),
        "fraction_of_roof": round(flops / seconds / 1e12 / roof, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--network", default="", help="comma-separated settings to time on the whole network")
    args = parser.parse_args()
    torch.backends.cudnn.benchmark = True
    roof = gemm_roof()
    result: dict[str, Any] = {"device": torch.cuda.get_device_name(), "torch": torch.__version__}
    result["roof_tflops"] = round(roof, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "rrdb-autotune.json"
    result["dense_block_480p"] = block_rows(roof)
    path.write_text(json.dumps(result, indent=1))
    wanted = [s for s in args.network.split(",") if s]
    result["network_480p"] = []
    for label, options in SETTINGS:
        if label in wanted:
            result["network_480p"].append(network_row(roof, label, options))
            print(json.dumps(result["network_480p"][-1]), flush=True)
            path.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

"""CPU benchmark of issue 11: the named Real-ESRGAN models at 480p through ncnn and through PyTorch.

Both runtimes upscale the same real photo (scikit-image's astronaut, resized to 854x480) in the
tiles `reelgen enhance` uses by default, on ``--threads`` threads, from the weights `reelgen pull realesrgan` fetched (the
folder ``--weights``). Each row is the median of ``--runs`` whole frames (one for the slow RRDB
model unless asked), with the load average the machine had, since a shared CPU slows every figure,
and how far PyTorch's frame is from ncnn's. Usage:

    python benchmarks/enhance_cpu.py --weights .ci/cache/weights/realesrgan --threads 2 --out /tmp/enhance-cpu
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

#: (model, scale, frames timed): the video model at x2 and x4, then RRDB (minutes a frame on 2 cores).
CASES: tuple[tuple[str, int, int], ...] = (
    ("realesr-animevideov3", 2, 3),
    ("realesr-animevideov3", 4, 3),
    ("realesrgan-x4plus", 4, 1),
)


def photo_480p() -> np.ndarray:
    """A real photo as a uint8 854x480 frame (no network: scikit-image ships it)."""
    from PIL import Image
    from skimage import data

    return np.array(Image.fromarray(data.astronaut()).resize((854, 480), Image.Resampling.LANCZOS))


def seconds_per_frame(fn: Any, runs: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def bench(weights: Path, threads: int, runs: int | None) -> list[dict[str, Any]]:
    import torch

    from reelgen.core.enhance.upscale import EsrganOptions
    from reelgen.core.enhance.upscale.models import NAMED
    from reelgen.core.enhance.upscale.ncnn_runtime import NcnnUpscaler
    from reelgen.core.enhance.upscale.torch_model import load_named

    torch.set_num_threads(threads)
    frame = photo_480p()
    tile, overlap = EsrganOptions().tile, EsrganOptions().overlap
    rows = []
    for model, scale, frames in CASES:
        named = NAMED[model]
        param, bin_file = weights / named.param(scale), weights / named.bin
        ncnn = NcnnUpscaler(param, bin_file, scale, threads=threads)
        ncnn_s, ncnn_out = seconds_per_frame(lambda n=ncnn: n.upscale(frame, tile, overlap), runs or frames)
        net = load_named(param, bin_file).to("cpu", torch.float32)
        tensor = torch.from_numpy(frame).permute(2, 0, 1)[None].float() / 255.0
        torch_s, torch_out = seconds_per_frame(
            lambda m=net, x=tensor: m.upscale(x, tile, overlap), runs or frames
        )
        pixels = (torch_out[0].permute(1, 2, 0).numpy() * 255.0).round().clip(0, 255).astype(np.uint8)
        rows.append(
            {
                "model": model,
                "scale": scale,
                "input": "854x480",
                "tile": tile,
                "threads": threads,
                "frames_timed": runs or frames,
                "ncnn_frames_per_s": round(1 / ncnn_s, 4),
                "pytorch_frames_per_s": round(1 / torch_s, 4),
                "ncnn_s_per_frame": round(ncnn_s, 2),
                "pytorch_s_per_frame": round(torch_s, 2),
                "max_abs_diff_levels": int(np.abs(pixels.astype(int) - ncnn_out.astype(int)).max()),
                "load_average_1min": round(os.getloadavg()[0], 2),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--weights", type=Path, required=True, help="the folder `reelgen pull realesrgan` filled"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, help="frames timed per runtime (default: 3, or 1 for RRDB)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"cpu_count": os.cpu_count(), "rows": bench(args.weights, args.threads, args.runs)}
    (args.out / "enhance-cpu.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()

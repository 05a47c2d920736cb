"""GPU benchmark of the core issue: full-size LTX-Video 2B and Wan 2.1 1.3B with random weights, through reelgen.

Builds each model's real configuration with random (non-zero) bf16 weights, saves it as a diffusers
folder, then renders one clip through `reelgen.core.render` (the same path real checkpoints take)
and prints one JSON line per case plus a summary table. Usage on a GPU machine:

    PYTHONPATH=src python3 benchmarks/gpu_core.py --out $OUT [--cases ltx,wan] [--steps 50]
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

CASES = {
    "ltx": ("ltx-2b", 768, 512, 121, "reelgen.core.backends.ltx_weights"),
    "wan": ("wan-1.3b", 832, 480, 81, "reelgen.core.backends.wan"),
}


def main() -> None:
    import importlib

    import torch

    from reelgen.core.backends.ltx import LTXBackend
    from reelgen.core.backends.wan import WanBackend
    from reelgen.core.bench import bench_request
    from reelgen.core.spec import registry
    from reelgen.core.spec.request import GenerationRequest

    # Run from a source tree (PYTHONPATH=src) the entry points are not installed; register directly.
    registry.register(LTXBackend)
    registry.register(WanBackend)

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cases", default="ltx,wan")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/reelgen-bench"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for key in args.cases.split(","):
        preset, width, height, frames, module = CASES[key]
        folder = args.scratch / preset
        shutil.rmtree(folder, ignore_errors=True)
        # 1. The real architecture with random weights, saved like a checkpoint.
        started = time.monotonic()
        importlib.import_module(module).build_full_random(preset, folder, device="cuda")
        torch.cuda.empty_cache()
        build_s = time.monotonic() - started
        # 2. One render through reelgen, loading that folder like real weights.
        request = GenerationRequest(
            model=preset,
            prompt="a red fox runs through fresh snow at golden hour, cinematic",
            width=width,
            height=height,
            num_frames=frames,
            steps=args.steps,
            seed=0,
            weights=str(folder),
        )
        row = bench_request(request, args.out / f"{preset}.mp4")
        row |= {
            "build_random_s": round(build_s, 1),
            "gpu": torch.cuda.get_device_name(0),
            "torch": torch.__version__,
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
        (args.out / f"{preset}.mp4").unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
    (args.out / "gpu_core.json").write_text(json.dumps(rows, indent=2))
    print(
        f"\n{'model':<10} {'size':<14} {'steps':>5} {'load':>7} {'generate':>9} {'denoise':>8} "
        f"{'s/step':>7} {'encode':>7} {'peak GiB':>8} plan"
    )
    for r in rows:
        t = r["timings_s"]
        print(
            f"{r['model']:<10} {r['size']:<14} {r['steps']:>5} {t['load']:>7} {t['generate']:>9} "
            f"{r['denoise_s']:>8} {r['step_median_s']:>7} {t['encode']:>7} {r['peak_vram_gib']:>8} "
            f"{r['memory_plan']}"
        )


if __name__ == "__main__":
    main()

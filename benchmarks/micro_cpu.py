"""CPU benchmark of reelgen-micro: the issue's prompt at the default size, through `reelgen.core.render`.

Runs in a fresh process (so model loading and imports count), on as many threads as
``--threads``, and prints one JSON line per run plus the load average the machine had,
since a shared CPU slows every figure. Usage:

    OMP_NUM_THREADS=2 python benchmarks/micro_cpu.py --threads 2 --runs 2 --out /tmp/micro-bench
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

PROMPT = "a red circle moves to the right over a green background"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    started = time.monotonic()
    cpu_started = time.process_time()
    import torch

    from reelgen.core.bench import bench_request
    from reelgen.core.spec import GenerationRequest, resolve

    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    for run in range(args.runs):
        request = resolve(GenerationRequest(model="reelgen-micro", prompt=PROMPT, seed=run))
        before = time.process_time()
        row = bench_request(request, args.out / f"micro-{run}.mp4")
        row |= {
            "run": run,
            "first_in_process": run == 0,
            "threads": args.threads,
            "cpu_s": round(time.process_time() - before, 2),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "cores": os.cpu_count(),
        }
        print(json.dumps(row), flush=True)
    total = {
        "process_wall_s": round(time.monotonic() - started, 2),
        "process_cpu_s": round(time.process_time() - cpu_started, 2),
    }
    print(json.dumps(total))


if __name__ == "__main__":
    main()

"""GPU benchmark driver for issue 17: runs `reelgen bench` cases and the probes by name, JSON to --out.

Each bench case is one `reelgen bench` process (the model built once with
random weights, stock diffusers and reelgen's variants on identical inputs).
The probes (`gpu_probes.py`: attention, FP8, tolerance, offload;
`gpu_graph_probes.py`: CUDA graphs over the compiled blocks;
`gpu_fp8_attention_probes.py`: cuDNN's FP8 attention;
`gpu_compile_probes.py`, run on its own: where a first call's compile time goes;
`gpu_decode_probes.py`: MP4 encode, VAE decode, Wan's VAE tiles) time one
part alone at the issue's shapes. Usage on the GPU machine, with the wheels unpacked in
/tmp/site:

    PYTHONPATH=/tmp/site:/tmp/site/nvidia_cutlass_dsl/dsl_packages:src \\
        python3 benchmarks/gpu_core.py --out $OUT attention encode fp8 ltx8 ltx40
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from gpu_decode_probes import encode_probe, vae_probe, wan_vae_tiles_probe
from gpu_fp8_attention_probes import fp8_attention_probe
from gpu_graph_probes import cudagraph_probe
from gpu_probes import FP8_VARIANTS, attention_probe, fp8_probe, offload_probe, tolerance_probe

from reelgen.core.bench_table import summary_table

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
    "ltx40-fp8": ["-m", "ltx-2b", "--size", "768x512x121", "--steps", "40", "--guidance", "3",
                  "--variants", "reelgen,fp8"],
    "ltx8-fp8": ["-m", "ltx-2b", "--size", "768x512x121", "--steps", "8", "--guidance", "1",
                 "--variants", "reelgen,fp8"],
    "wan-fp8": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "5", "--guidance", "5",
                "--variants", "reelgen,fp8"],
    "wan14-fp8": ["-m", "wan-14b", "--size", "1280x720x81", "--steps", "3", "--guidance", "5",
                  "--variants", "reelgen,fp8"],
    "wan14-fp8-all": ["-m", "wan-14b", "--size", "1280x720x81", "--steps", "3", "--guidance", "5",
                      "--variants", "reelgen,fp8-all"],
    "wan-fp8-all": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "5", "--guidance", "5",
                    "--variants", "reelgen,fp8-attention,fp8-all"],
    "wan-fp8-all-only": ["-m", "wan-1.3b", "--size", "832x480x81", "--steps", "5", "--guidance", "5",
                         "--variants", "reelgen,fp8-all"],
    "wan14": ["-m", "wan-14b", "--size", "1280x720x81", "--steps", "1", "--guidance", "5",
              "--no-stock-warmup"],
    "wan14-budget": ["-m", "wan-14b", "--size", "1280x720x81", "--steps", "2", "--guidance", "5",
                     "--variants", "budget", "--budget", "12", "--budget-plan", "group_offload"],
}
# fmt: on
#: `reelgen` run from a source tree (PYTHONPATH=src): no entry points installed, so the families register here.
#: SIGUSR1 makes it write every thread's stack to its log: what a case cut off by the timeout was doing.
_MAIN = (
    "import faulthandler, signal, sys; faulthandler.register(signal.SIGUSR1, all_threads=True); "
    "from reelgen.core.spec import registry; "
    "from reelgen.core.backends import ltx, wan; registry.register(ltx.SPEC); registry.register(wan.SPEC); "
    "from reelgen.cli import main; sys.argv[0] = 'reelgen'; main()"
)


#: ``--fp8-inductor``: Inductor settings for FP8 blocks in the bench processes, by name. "fast" is the
#: fast path's own; "multi-kernel" tunes no blocks' kernels (is the tuning worth its first-call time?).
_FP8_INDUCTOR = {
    "fast": "",
    "multi-kernel": "from reelgen.core.accel import lossy; lossy.FP8_TUNED_BLOCKS = frozenset(); ",
}


#: Probes run in this process by name (besides the FP8 probes of ``FP8_VARIANTS`` and the bench ``CASES``).
_PROBES = (
    "attention",
    "encode",
    "fp8-attention",
    "graphs",
    "graphs-cfg",
    "offload",
    "tolerance",
    "vae",
    "wan-vae-tiles",
)


def bench_case(
    name: str, work: Path, timeout: float, key: str, logs: Path, fp8_inductor: str = "fast"
) -> dict[str, Any]:
    """One `reelgen bench` process; its JSON report, or what went wrong (reports and MP4s kept in ``work``).

    ``key`` names the files; it differs from ``name`` when a case runs again in one call (a second
    run finds the compile caches the first one filled). The process writes its log straight into
    ``logs`` as it runs, so a case cut off by the timeout still shows how far it got, and ends with
    the stacks it was in when it was stopped.
    """
    report = work / f"{key}.json"
    log = logs / f"{key}.log"
    cmd = [sys.executable, "-c", _FP8_INDUCTOR[fp8_inductor] + _MAIN]
    cmd += ["bench", *CASES[name], "--json", str(report), "--keep", str(work / key)]
    started = time.monotonic()
    with log.open("w") as sink, subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT) as proc:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGUSR1)
            time.sleep(3)
            proc.kill()
            proc.wait()
            return {"case": name, "error": f"timed out after {timeout:.0f} s", "log_tail": _tail(log, 12000)}
    if proc.returncode != 0 or not report.exists():
        return {"case": name, "error": _tail(log), "wall_s": time.monotonic() - started}
    result = json.loads(report.read_text())
    print(summary_table(result), flush=True)
    return {"case": name, "wall_s": time.monotonic() - started, **result}


def _tail(log: Path, chars: int = 3000) -> str:
    return log.read_text(errors="replace")[-chars:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/gpu_core"), help="per-case reports and logs")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per bench case")
    parser.add_argument("--tag", default="run", help="suffix of the combined report's name")
    parser.add_argument(
        "--fp8-inductor", choices=sorted(_FP8_INDUCTOR), default="fast", help="FP8 blocks' Inductor settings"
    )
    parser.add_argument(
        "cases",
        nargs="+",
        help=f"{', '.join((*_PROBES, *FP8_VARIANTS, *CASES))}",
    )
    args = parser.parse_args()
    # A typo among the cases failed with a KeyError only when its turn came, after the cases before it ran.
    valid = (*_PROBES, *FP8_VARIANTS, *CASES)
    unknown = [name for name in args.cases if name not in valid]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; valid: {', '.join(valid)}")
    args.out.mkdir(parents=True, exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for name in args.cases:
        started = time.monotonic()
        runs = sum(k == name or k.startswith(f"{name}-again") for k in results)
        key = f"{name}-again{runs}" if runs else name
        if name == "attention":
            results[key] = attention_probe()
        elif name == "encode":
            results[key] = encode_probe(args.out)
        elif name in FP8_VARIANTS:
            results[key] = fp8_probe(name)
        elif name in ("graphs", "graphs-cfg"):
            results[key] = cudagraph_probe(guidance=1.0 if name == "graphs" else 3.0)
        elif name == "fp8-attention":
            results[key] = fp8_attention_probe()
        elif name == "tolerance":
            results[key] = tolerance_probe()
        elif name == "vae":
            results[key] = vae_probe()
        elif name == "offload":
            results[key] = offload_probe()
        elif name == "wan-vae-tiles":
            results[key] = wan_vae_tiles_probe()
        else:
            results[key] = bench_case(name, args.work, args.timeout, key, args.out, args.fp8_inductor)
        print(f"== {key}: {time.monotonic() - started:.1f} s", flush=True)
        (args.out / f"gpu_core-{args.tag}.json").write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()

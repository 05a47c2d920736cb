"""GPU benchmark for issue 17 item 5: clips per hour through `/v1/videos` with one worker, against in process.

One process, three parts, JSON to ``--out DIR/service-<tag>.json`` (rewritten
after each part, so a run cut short keeps what it finished):

1. Weights. No real weights exist on the GPU machine, so a full-size preset
   (``ltx-2b``, ``wan-1.3b``, ``wan-14b``) is built with random weights as
   ``reelgen bench`` builds it and saved as a diffusers folder at
   ``REELGEN_MODELS_DIR/<preset>``, where ``weights.locate`` finds a preset's
   local folder for both paths. Tiny presets need nothing: reelgen builds them.
2. In process: ``reelgen.core.render.render`` (what the worker's render job
   calls, MP4 encode included) with one model cache: a warm-up clip (load,
   compile), then ``--clips`` clips back to back.
3. Through the service: ``reelgen serve`` as a subprocess on a free loopback
   port with the local engine and one worker (``REELGEN_GPUS=1``), its own
   SQLite store under ``--work``; a warm-up job, then ``--clips`` jobs posted at
   once to ``POST /v1/videos`` and polled to the end. Clips per hour run from the
   first submit to the last job's ``completed_at`` in the store (the polled
   completion is reported too). The server is stopped with SIGINT (SIGKILL
   after a grace period) also on error.

Run from a source tree (no entry points installed), the script writes the
entry points of pyproject.toml as a ``reelgen-<version>.dist-info`` folder under
``--work`` and puts it on the path of this process and the server, which hands
its ``sys.path`` to its worker process: what ``pip install`` would have
registered, with no change to reelgen. Usage on the GPU machine:

    PYTHONPATH=/tmp/site:/tmp/site/nvidia_cutlass_dsl/dsl_packages:src \\
        python3 benchmarks/service_gpu.py --out $OUT --tag a

CPU smoke check: ``--model ltx-tiny --size 64x64x9 --steps 2 --clips 2``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

PROMPT = "a red fox runs through fresh snow at golden hour, cinematic"
TARGET = 0.95
#: The server's command line from a source tree: the CLI's main, as `reelgen` would run it.
_SERVE = "import sys; from reelgen.cli import main; sys.argv[0] = 'reelgen'; main()"
TERMINAL = ("completed", "failed", "cancelled")


def parse_size(size: str) -> tuple[int, int, int]:
    w, h, f = (int(x) for x in size.lower().split("x"))
    return w, h, f


# ---- the source tree as an installed package -------------------------------------------------------


def entry_point_shim(work: Path) -> Path | None:
    """A dist-info folder with pyproject's entry points when none are installed (None: installed)."""
    from importlib.metadata import entry_points

    if list(entry_points(group="reelgen.backends")):
        return None
    import tomllib

    import reelgen

    project = tomllib.loads((Path(reelgen.__file__).parents[2] / "pyproject.toml").read_text())["project"]
    site = work / "entry-points"
    info = site / f"reelgen-{project['version']}.dist-info"
    shutil.rmtree(site, ignore_errors=True)
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    lines = []
    for group, points in project.get("entry-points", {}).items():
        lines += [f"[{group}]", *(f"{name} = {target}" for name, target in points.items()), ""]
    (info / "entry_points.txt").write_text("\n".join(lines))
    sys.path.insert(0, str(site))
    return site


# ---- 1. weights -----------------------------------------------------------------------------------


def provide_weights(model: str, models_dir: Path) -> dict[str, Any]:
    """Random full-size weights saved where ``locate`` looks for ``model``; tiny presets build their own."""
    import torch

    from reelgen.core import bench_models
    from reelgen.core.devices import empty_cache
    from reelgen.core.spec import registry

    _, preset = registry.resolve(model)
    if preset.tiny:
        return {"origin": "tiny", "note": "reelgen builds the tiny weights itself on first use"}
    folder = models_dir / preset.name
    if (folder / "model_index.json").is_file():
        return {"origin": "models-dir", "folder": str(folder), "reused": True, "bytes": _bytes(folder)}
    started = time.perf_counter()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    pipe = bench_models.full_size_pipeline(preset.name, device)
    built = time.perf_counter()
    for left in models_dir.glob(f".{preset.name}-*"):  # what a run killed while saving left behind
        shutil.rmtree(left, ignore_errors=True)
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = models_dir / f".{preset.name}-{os.getpid()}"
    try:
        pipe.save_pretrained(str(tmp), safe_serialization=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        del pipe
        empty_cache()
    return {
        "origin": "models-dir",
        "folder": str(folder),
        "reused": False,
        "random_weights": True,
        "build_s": round(built - started, 2),
        "save_s": round(time.perf_counter() - built, 2),
        "bytes": _bytes(folder),
    }


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---- 2. in process --------------------------------------------------------------------------------


def request_fields(args: argparse.Namespace, seed: int) -> dict[str, Any]:
    w, h, f = parse_size(args.size)
    return dict(
        model=args.model,
        prompt=PROMPT,
        seed=seed,
        width=w,
        height=h,
        num_frames=f,
        steps=args.steps,
        guidance=args.guidance,
    )


def in_process(args: argparse.Namespace, folder: Path, failures: list[dict[str, Any]]) -> dict[str, Any]:
    """One model cache, a warm-up clip, then ``args.clips`` clips through ``render`` back to back."""
    from reelgen.core.cache import ModelCache
    from reelgen.core.devices import empty_cache
    from reelgen.core.render import render
    from reelgen.core.spec import GenerationRequest, registry, resolve

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cache = ModelCache(max_models=1)
    out: dict[str, Any] = {}
    try:
        warm = resolve(GenerationRequest(**request_fields(args, 10_000)))
        out["request"] = warm.model_dump(mode="json")
        started = time.perf_counter()
        result = render(warm, folder / "warmup.mp4", cache=cache)
        out["warmup_s"] = round(time.perf_counter() - started, 3)
        out["warmup_timings"] = _rounded(result.metadata["timings"])
        out["accel"] = result.metadata.get("accel")
        out["memory_plan"] = result.metadata.get("memory_plan")
        requests = [resolve(GenerationRequest(**request_fields(args, i))) for i in range(args.clips)]
        out["clips"] = clips = []
        started = time.perf_counter()
        for i, request in enumerate(requests):
            begun = time.perf_counter()
            result = render(request, folder / f"clip-{i}.mp4", cache=cache)
            clips.append(
                {"wall_s": round(time.perf_counter() - begun, 3), **_rounded(result.metadata["timings"])}
            )
        seconds = time.perf_counter() - started
        out |= {
            "seconds": round(seconds, 3),
            "clips_per_hour": args.clips / seconds * 3600,
            "s_per_clip": seconds / args.clips,
            "peak_vram_gib": result.metadata.get("peak_vram_gib"),
        }
    except Exception as exc:  # recorded with what ran before it
        out |= {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-4000:]}
        failures.append({"case": "in_process", "error": out["error"]})
    finally:
        with contextlib.suppress(Exception):
            cache.drop(registry.resolve(args.model)[1])
        empty_cache()
    return out


def _rounded(timings: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in timings.items()}


# ---- 3. through the service -----------------------------------------------------------------------


def free_port() -> int:
    """A free loopback port (never 6379, Redis's and Ray's default)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port != 6379:
            return port


class Server:
    """``reelgen serve`` in a subprocess with one worker; stopped by SIGINT, then SIGKILL."""

    def __init__(self, work: Path, data_dir: Path, shim: Path | None) -> None:
        import reelgen

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = work / "server.log"
        self.data_dir = data_dir
        paths = [str(shim)] if shim else []
        paths += [str(Path(reelgen.__file__).parents[1])]  # the worker runs `-m reelgen...` before its path
        paths += [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)),
            "REELGEN_ENGINE": "local",
            "REELGEN_GPUS": "1",
            "REELGEN_DATA_DIR": str(data_dir),
        }
        for name in ("REELGEN_DATABASE_URL", "REELGEN_API_KEY", "RAY_ADDRESS", "REELGEN_RAY_ADDRESS"):
            self.env.pop(name, None)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [sys.executable, "-c", _SERVE, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        cmd += ["--log-level", "warning"]
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, client: Any, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with code {self.proc and self.proc.returncode}")
            with contextlib.suppress(Exception):
                reply = client.get(f"{self.url}/readyz", timeout=5)
                if reply.status_code == 200:
                    return dict(reply.json())
                last = reply.text[:300]
            time.sleep(0.25)
        raise TimeoutError(f"not ready after {timeout:.0f} s: {last}")

    def stop(self, grace: float = 60.0) -> dict[str, Any]:
        if self.proc is None:
            return {}
        how = "exited by itself"
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            how = "SIGINT"
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
                how = f"SIGKILL after {grace:.0f} s"
        self._log.close()
        return {"stopped_by": how, "exit_code": self.proc.returncode}

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def submit(client: Any, url: str, args: argparse.Namespace, seed: int) -> dict[str, Any]:
    w, h, f = parse_size(args.size)
    body = {
        "model": args.model,
        "prompt": PROMPT,
        "size": f"{w}x{h}",
        "num_frames": f,
        "num_inference_steps": args.steps,
        "guidance_scale": args.guidance,
        "seed": seed,
    }
    sent = time.time()
    reply = client.post(f"{url}/v1/videos", json=body, timeout=60)
    if reply.status_code != 202:
        raise RuntimeError(f"POST /v1/videos answered {reply.status_code}: {reply.text[:500]}")
    return {"id": reply.json()["id"], "seed": seed, "submitted_at": sent}


def wait_all(client: Any, url: str, jobs: list[dict[str, Any]], timeout: float, server: Server) -> None:
    """Poll each unfinished job until all are terminal; notes when each was seen finished."""
    deadline = time.monotonic() + timeout
    pending = {j["id"]: j for j in jobs}
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(pending)} of {len(jobs)} jobs unfinished after {timeout:.0f} s")
        if server.proc is not None and server.proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.proc.returncode}")
        for job_id, job in list(pending.items()):
            video = client.get(f"{url}/v1/videos/{job_id}", timeout=30).json()
            if video.get("status") in TERMINAL:
                job |= {
                    "status": video["status"],
                    "seen_done_at": time.time(),
                    "wire_metrics": video.get("metrics"),
                    "error": video.get("error"),
                }
                del pending[job_id]
        time.sleep(0.1)


def store_records(data_dir: Path, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each job's own record (float times, metrics, the worker's render timings), read after shutdown;
    returns the first finished job's request, fast-path record and memory plan."""
    from reelgen.jobs.store import JobStore

    store = JobStore(f"sqlite:///{data_dir / 'jobs.db'}")
    first: dict[str, Any] = {}
    try:
        for job in jobs:
            rec = store.get(job["id"])
            if not first and rec.result:
                meta = rec.result.get("metadata") or {}
                first = {k: meta.get(k) for k in ("accel", "memory_plan", "peak_vram_gib")}
                first["payload"] = rec.payload
            job |= {
                "created_at": rec.created_at,
                "started_at": rec.started_at,
                "completed_at": rec.completed_at,
                "attempts": rec.attempts,
                "metrics": rec.metrics,
                "timings": _rounded((rec.result or {}).get("timings") or {}),
            }
    finally:
        store.close()
    return first


def through_service(
    args: argparse.Namespace, shim: Path | None, failures: list[dict[str, Any]]
) -> dict[str, Any]:
    import httpx

    data_dir = args.work / f"service-{args.tag}"
    shutil.rmtree(data_dir, ignore_errors=True)  # a stale store would requeue an earlier run's jobs
    server = Server(args.work, data_dir, shim)
    out: dict[str, Any] = {"url": server.url, "log": str(server.log_path)}
    jobs: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    try:
        with httpx.Client() as client:
            started = time.perf_counter()
            server.start()
            out["readyz"] = server.wait_ready(client, args.ready_timeout)
            out["ready_s"] = round(time.perf_counter() - started, 2)
            out["system"] = _get(client, f"{server.url}/v1/system")
            started = time.perf_counter()
            warm = [submit(client, server.url, args, 10_000)]
            wait_all(client, server.url, warm, args.job_timeout, server)
            out["warmup_s"] = round(time.perf_counter() - started, 3)
            if warm[0]["status"] != "completed":
                raise RuntimeError(f"warm-up job {warm[0]['status']}: {warm[0].get('error')}")
            first = time.time()
            jobs = [submit(client, server.url, args, i) for i in range(args.clips)]
            out["submit_s"] = round(time.time() - first, 3)
            wait_all(client, server.url, jobs, args.job_timeout, server)
            seen = max(j["seen_done_at"] for j in jobs) - first
            out |= {"seconds_polled": round(seen, 3), "clips_per_hour_polled": args.clips / seen * 3600}
    except Exception as exc:  # recorded; the server is still stopped and its store read below
        out |= {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-4000:]}
        failures.append({"case": "service", "error": out["error"]})
    finally:
        out["shutdown"] = server.stop()
        out["server_log_tail"] = server.log_tail()
    try:
        out |= store_records(data_dir, warm + jobs)
    except Exception as exc:
        failures.append({"case": "service store read", "error": f"{type(exc).__name__}: {exc}"})
    done = [j for j in jobs if j.get("status") == "completed"]
    bad = [j for j in jobs if j.get("status") != "completed"]
    if bad:
        failures.append(
            {"case": "service jobs", "error": [{k: j.get(k) for k in ("id", "status", "error")} for j in bad]}
        )
    if jobs and not bad and all(j.get("completed_at") for j in done):
        seconds = max(j["completed_at"] for j in done) - min(j["submitted_at"] for j in jobs)
        out |= {
            "seconds": round(seconds, 3),
            "clips_per_hour": args.clips / seconds * 3600,
            "s_per_clip": seconds / args.clips,
        }
    out["warmup_job"] = warm[0] if warm else None
    out["jobs"] = jobs
    out["handoff"] = handoff(done)
    return out


def handoff(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """Where the service's time beyond rendering went: per job, and between one job and the next.

    ``outside_render_s``: the job's run time (dispatch to completed, files saved and checked)
    less the worker's own ``render`` total. ``gap_s``: a job's start after the one before completed
    (negative when the next job started before the API process had finished with the last one).
    ``start_interval_mean_s``: the mean time from one job's start to the next one's, the worker's
    steady-state seconds per clip (the rate without the last job's save and check at the end).
    """
    ordered = sorted(
        (j for j in jobs if j.get("started_at") and j.get("completed_at")), key=lambda j: j["started_at"]
    )
    outside = [
        j["metrics"]["run_s"] - j["timings"]["total"]
        for j in ordered
        if (j.get("metrics") or {}).get("run_s") is not None and "total" in (j.get("timings") or {})
    ]
    gaps = [b["started_at"] - a["completed_at"] for a, b in zip(ordered, ordered[1:], strict=False)]
    intervals = [b["started_at"] - a["started_at"] for a, b in zip(ordered, ordered[1:], strict=False)]
    return {
        "start_interval_mean_s": round(sum(intervals) / len(intervals), 3) if intervals else None,
        "outside_render_s": [round(x, 3) for x in outside],
        "outside_render_mean_s": round(sum(outside) / len(outside), 3) if outside else None,
        "gap_s": [round(x, 3) for x in gaps],
        "gap_mean_s": round(sum(gaps) / len(gaps), 3) if gaps else None,
    }


def _get(client: Any, url: str) -> Any:
    try:
        reply = client.get(url, timeout=30)
        return (
            reply.json()
            if reply.status_code == 200
            else {"status": reply.status_code, "text": reply.text[:300]}
        )
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


# ---- report ---------------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    import torch

    from reelgen.core.record import library_versions

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    total = torch.cuda.get_device_properties(0).total_memory / 1024**3 if gpu else None
    return {
        "gpu": gpu,
        "gpu_total_gib": total,
        "gpu_count": torch.cuda.device_count() if gpu else 0,
        "cpu_count": os.cpu_count(),
        "host": platform.node(),
        "versions": library_versions(),
        "served_versions": _versions(("fastapi", "starlette", "uvicorn", "sqlalchemy", "httpx", "pydantic")),
    }


def _versions(names: tuple[str, ...]) -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def compare(report: dict[str, Any]) -> None:
    """The service's rate against the in-process one, and whether both ran the same request."""
    inproc, service = report.get("in_process") or {}, report.get("service") or {}
    a, b = inproc.get("clips_per_hour"), service.get("clips_per_hour")
    if a and b:
        report["ratio"] = b / a
        report["met"] = b / a >= TARGET
        report["service_overhead_s_per_clip"] = service["s_per_clip"] - inproc["s_per_clip"]
    if inproc.get("memory_plan") and service.get("memory_plan"):
        report["same_plan"] = inproc["memory_plan"].get("strategy") == service["memory_plan"].get("strategy")
        report["same_accel"] = inproc.get("accel") == service.get("accel")
    ours, theirs = inproc.get("request"), service.get("payload")
    if ours and theirs:
        skip = {"seed"}
        report["request_differences"] = {
            k: {"in_process": ours.get(k), "service": theirs.get(k)}
            for k in sorted(set(ours) | set(theirs))
            if k not in skip and ours.get(k) != theirs.get(k)
        }


def summary(report: dict[str, Any]) -> str:
    rows = [
        f"{report['model']} {report['size']} steps={report['steps']} guidance={report['guidance']} "
        f"clips={report['clips']} on {report['environment'].get('gpu') or 'CPU'}"
    ]
    for name in ("in_process", "service"):
        part = report.get(name) or {}
        if "clips_per_hour" in part:
            extra = ""
            if name == "service":
                extra = f" (polled: {part.get('seconds_polled', 0):.2f} s)"
            if name == "service" and (part.get("handoff") or {}).get("outside_render_mean_s") is not None:
                h = part["handoff"]
                extra += (
                    f"; per job {h['outside_render_mean_s']:.3f} s outside render, gap {h['gap_mean_s']} s"
                    f", one start to the next {h.get('start_interval_mean_s')} s"
                )
            rows.append(
                f"{name:<10} {report['clips']} clips in {part['seconds']:.2f} s = {part['s_per_clip']:.3f} s/clip "
                f"-> {part['clips_per_hour']:.0f} clips/h{extra}; warm-up {part.get('warmup_s', 0):.1f} s"
            )
        else:
            rows.append(f"{name:<10} no rate: {part.get('error', 'did not run')}")
    if "ratio" in report:
        verdict = "met" if report["met"] else "NOT met"
        rows.append(f"service / in process = {report['ratio']:.3f} (target >= {TARGET}): {verdict}")
    if report.get("request_differences"):
        rows.append(f"requests differ: {json.dumps(report['request_differences'])}")
    for failure in report["failures"]:
        rows.append(f"failure: {failure['case']}: {str(failure['error'])[:300]}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="ltx-2b")
    parser.add_argument("--size", default="768x512x121", help="WIDTHxHEIGHTxFRAMES")
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--guidance", type=float, default=1.0, help="CFG scale; 1 turns CFG off")
    parser.add_argument("--clips", type=int, default=8, help="timed clips per path (after one warm-up)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/service_bench"), help="weights, stores, MP4s")
    parser.add_argument("--tag", default="run", help="suffix of the report's name")
    parser.add_argument(
        "--ready-timeout", type=float, default=300.0, help="seconds for the server to be ready"
    )
    parser.add_argument("--job-timeout", type=float, default=900.0, help="seconds for a batch of jobs")
    parser.add_argument(
        "--parts",
        default="in_process,service",
        help="which rates to measure: in_process, service or both (weights are always provided)",
    )
    args = parser.parse_args()
    wanted = {p.strip() for p in args.parts.split(",") if p.strip()}
    if not wanted or wanted - {"in_process", "service"}:
        parser.error(f"--parts {args.parts!r}: give in_process, service or both")
    parse_size(args.size)
    args.out.mkdir(parents=True, exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)
    args.work = args.work.resolve()
    # Both paths read weights, tiny builds and the hash cache from the same places.
    os.environ["REELGEN_HOME"] = str(args.work / "home")
    os.environ["REELGEN_MODELS_DIR"] = str(args.work / "models")
    for name in ("DIFFUSERS_VERBOSITY", "TRANSFORMERS_VERBOSITY"):
        os.environ.setdefault(name, "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    report_path = args.out / f"service-{args.tag}.json"
    shim = entry_point_shim(args.work)
    report: dict[str, Any] = {
        "requirement": "issue 17 item 5: clips/hour through /v1/videos with one worker >= 95% of in process",
        "target_ratio": TARGET,
        "model": args.model,
        "size": args.size,
        "steps": args.steps,
        "guidance": args.guidance,
        "clips": args.clips,
        "prompt": PROMPT,
        "entry_points": str(shim) if shim else "installed",
        "environment": environment(),
        "failures": [],
    }

    def save() -> None:
        report_path.write_text(json.dumps(report, indent=1, default=str))

    parts = [
        ("weights", lambda: provide_weights(args.model, args.work / "models")),
        ("in_process", lambda: in_process(args, args.work / "in-process", report["failures"])),
        ("service", lambda: through_service(args, shim, report["failures"])),
    ]
    for name, run in parts:
        if name != "weights" and name not in wanted:
            continue
        started = time.monotonic()
        try:
            report[name] = run()
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            report[name] = {"error": error, "traceback": traceback.format_exc()[-4000:]}
            report["failures"].append({"case": name, "error": error})
            if name == "weights":
                save()
                break
        report[name]["part_s"] = round(time.monotonic() - started, 2)
        print(f"== {name}: {time.monotonic() - started:.1f} s", flush=True)
        save()
    compare(report)
    save()
    print(summary(report), flush=True)
    print(f"report: {report_path}", flush=True)


if __name__ == "__main__":
    main()

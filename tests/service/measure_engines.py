"""Measures both engines on this machine: start time, processes, idle memory, recovery. Prints JSON.

    python -m tests.service.measure_engines [local|ray ...] > engines.json

Each engine runs in a fresh process (Ray is process-global) with one CPU worker and a
job of ``wan-tiny`` (so a model is loaded, as on a server that has done work), then:
a worker killed (time until readiness is back), and for Ray the raylet killed (time
until the restarted engine is ready). Memory is the sum over the API process and
every process it started: RSS, and USS (memory no other process shares).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

CHILD = r"""
import json, os, signal, sys, tempfile, time
import psutil
from reelgen.core.spec import resolve
from reelgen.core.spec.request import GenerationRequest
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings

engine = sys.argv[1]
out = {"engine": engine}
data = tempfile.mkdtemp(prefix="m-", dir=sys.argv[2])
settings = JobSettings(engine=engine, data_dir=data, cpu_workers=1, ray_num_cpus=2,
                       ray_object_store_bytes=128 * 1024**2)
me = psutil.Process()

def tree():
    procs = [me, *me.children(recursive=True)]
    rss = uss = 0
    for p in procs:
        try:
            info = p.memory_full_info()
            rss, uss = rss + info.rss, uss + info.uss
        except psutil.Error:
            pass
    return {"processes": len(procs), "rss_mb": round(rss / 2**20), "uss_mb": round(uss / 2**20)}

def ready_in(since):
    while service.health() is not None:
        time.sleep(0.05)
    return round(time.monotonic() - since, 2)

t0 = time.monotonic()
service = JobService(settings)
service.start()
out["start_returns_s"] = round(time.monotonic() - t0, 2)
out["ready_s"] = ready_in(t0)
out["idle_before_any_job"] = tree()
job = service.submit(resolve(GenerationRequest(model="wan-tiny", prompt="a fox", num_frames=9, steps=2)))
assert service.wait(job.id, 600).status.value == "completed"
time.sleep(3)
out["idle_with_a_model_loaded"] = tree()
slot = service.engine.snapshot()[0]
service.engine.refresh(slot)
old = int(slot.info["pid"])
os.kill(old, signal.SIGKILL)
t1 = time.monotonic()
dropped = None
while True:  # until a new worker process answers
    if dropped is None and service.health() is not None:
        dropped = round(time.monotonic() - t1, 2)
    slot = service.engine.snapshot()[0]
    if service.engine.refresh(slot, timeout_s=5) and int(slot.info["pid"]) != old:
        break
    time.sleep(0.01)
out["worker_kill_new_worker_answers_s"] = round(time.monotonic() - t1, 2)
out["worker_kill_readiness_dropped_after_s"] = dropped
out["worker_kill_ready_again_s"] = ready_in(t1)
if engine == "ray":
    pid = service.engine.describe_engine()["pids"]["raylet"]
    os.kill(pid, signal.SIGKILL)
    t2 = time.monotonic()
    while service.health() is None and time.monotonic() - t2 < 60:
        time.sleep(0.01)
    out["engine_kill_seen_s"] = round(time.monotonic() - t2, 2)
    out["engine_kill_ready_again_s"] = ready_in(t2)
t3 = time.monotonic()
service.stop()
out["stop_s"] = round(time.monotonic() - t3, 2)
out["left_after_stop"] = len(me.children(recursive=True))
print(json.dumps(out))
"""


def main() -> None:
    engines = sys.argv[1:] or ["local", "ray"]
    with tempfile.TemporaryDirectory(prefix="engines-") as folder:
        for engine in engines:
            env = {**os.environ, "OMP_NUM_THREADS": "1", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, engine, folder],
                capture_output=True,
                text=True,
                env=env,
                timeout=900,
            )
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                continue
            print(proc.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()

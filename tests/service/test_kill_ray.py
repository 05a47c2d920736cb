"""kill -9 where the service runs on its private Ray: the engine restarts, and nothing of it outlives the API.

Apart from test_kill.py so the two longest service tests run beside the others on another worker. One Ray
server has its raylet killed (the engine restarts and its jobs run), then its API: each Ray costs seconds of
CPU to start, so the two kills share one server; the kill -9 of the API, coming after the restart, finds
the restarted Ray's processes to end. What a clean stop leaves of a Ray is checked in test_soak_ray.py.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from reelgen.jobs.store import JobStore
from tests.service.server import Server, on_loopback, pids_alive, ray_folders, tally


def test_kill_9_of_the_ray_engines_raylet_then_of_the_api_leaves_no_job_and_no_ray_behind(
    tmp_path: Path, reelgen_home: Path
) -> None:
    data_dir = tmp_path / "server"
    server = Server(data_dir, home=reelgen_home, REELGEN_ENGINE="ray").start()
    try:
        server.wait_ready()
        # kill -9 of its private Ray's raylet is seen, the engine restarts, and its jobs run.
        created = [server.create(seed=i, num_inference_steps=6).json()["id"] for i in range(2)]
        engine = server.http.get("/v1/system").json()["detail"]["engine"]
        assert engine["name"] == "ray" and engine["embedded"]
        deadline = time.monotonic() + 120
        while not any(v["status"] == "in_progress" for v in server.videos(created)):
            assert time.monotonic() < deadline, server.log()
            time.sleep(0.1)
        # The private Ray (GCS, raylet, agents, the worker actor) listens on loopback only, never on 6379.
        ports = server.listening()
        assert sum("raylet" in p or "gcs_server" in p for p in ports) >= 2, ports
        assert [p for p in ports if not on_loopback(p) or p.endswith(":6379")] == []
        # Its worker actor's process ("ray::VideoWorker.run" while it runs one), and no idle worker process
        # Ray started ahead for tasks.
        names = [n for n in server.names() if n.startswith("ray::")]
        assert any(n.startswith("ray::VideoWorker") for n in names) and "ray::IDLE" not in names, names
        os.kill(engine["pids"]["raylet"], signal.SIGKILL)
        killed = time.monotonic()
        # Within seconds readiness fails and names the raylet's death (its worker actor may be seen
        # gone a moment before the raylet's exit is).
        while "raylet exited (signal 9)" not in (said := server.http.get("/readyz").text):
            assert time.monotonic() - killed < 10, f"a dead engine went unnoticed: {said}"
            time.sleep(0.05)
        refused = None
        while refused is None and server.http.get("/readyz").status_code != 200:
            answer = server.create(prompt="while the engine restarts")
            if answer.status_code == 503:
                refused = answer
            elif answer.status_code == 202:
                created.append(answer.json()["id"])
            time.sleep(0.2)
        assert refused is not None and int(refused.headers["retry-after"]) > 0
        assert "restarting" in refused.json()["error"]["message"]
        server.wait_ready()
        seen = server.wait_all(created)
        again = server.http.get("/v1/system").json()["detail"]["engine"]
        assert again["restarts"] == 1 and again["pids"]["raylet"] != engine["pids"]["raylet"]
        assert [p for p in server.listening() if not on_loopback(p)] == []  # the restarted Ray too
        assert server.process is not None and server.process.poll() is None
        whole = server.log_path.read_text(errors="replace")
        assert whole.count("engine stopped") == 1  # one line, not a warning a second

        # kill -9 of the API: no process and no folder of its (restarted) Ray outlives it.
        crashed = server.process.pid
        assert ray_folders(crashed) or list(data_dir.glob("ray-*"))
        started = server.kill()
        assert len(started) >= 5  # gcs_server, raylet, agents, the worker actor, the reaper ...
        deadline = time.monotonic() + 30
        while (pids_alive(started) or ray_folders(crashed)) and time.monotonic() < deadline:
            time.sleep(0.2)  # Ray's processes follow the API down within seconds; its agents are ended
        assert pids_alive(started) == [] and ray_folders(crashed) == []
        assert not list(data_dir.glob("ray-*")) and not (data_dir.parent / "user-home" / ".ray").exists()
    finally:
        server.stop()
    store = JobStore(f"sqlite:///{data_dir / 'jobs.db'}")
    try:
        assert tally(store, created, seen) == {"lost": 0, "duplicated": 0, "stuck": 0, "completed_twice": 0}
    finally:
        store.close()

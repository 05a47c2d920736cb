"""kill -9 of the API mid-run: no job lost, duplicated, stuck or completed twice; a port in use is said first.

kill -9 of a worker is in test_kill_worker.py and of the Ray engine in test_kill_ray.py: one file is
one unit of xdist's --dist loadfile, so the minute-long kill tests run on several test processes at once.
A port in use is tried on the server started again after the kill (SQLite's run): a server costs seconds of
CPU to start, and one already running is all the refusal needs.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from reelgen.jobs.store import JobStore
from tests.service.server import Server, pids_alive, tally


def test_kill_9_of_the_api_mid_run_loses_nothing(
    database: str, store: JobStore, tmp_path: Path, reelgen_home: Path
) -> None:
    data_dir = tmp_path / "server"
    first = Server(data_dir, home=reelgen_home, database_url=database).start()
    first.wait_ready()
    keys = [f"job-{i}" for i in range(6)]
    created = [first.create(key, seed=i).json()["id"] for i, key in enumerate(keys)]
    # Kill it while a job runs and others wait.
    deadline = time.monotonic() + 120
    while not any(v["status"] == "in_progress" for v in first.videos(created[2:])):
        assert time.monotonic() < deadline, first.log()
        time.sleep(0.2)
    workers = first.kill()
    assert workers
    deadline = time.monotonic() + 10  # each sees its socket close and exits; a loaded machine takes a moment
    while pids_alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pids_alive(workers) == []  # no worker outlives the API process

    second = Server(data_dir, home=reelgen_home, database_url=database).start()
    try:
        second.wait_ready()
        # A client that never saw its answers sends every create again with the same keys.
        again = [second.create(key, seed=i) for i, key in enumerate(keys)]
        assert [r.status_code for r in again] == [200] * len(keys)
        assert [r.json()["id"] for r in again] == created
        seen = second.wait_all(created)
        if database.startswith("sqlite"):  # once: the refusal comes before any store is opened
            # A third server started on the port the second listens on says so before it starts anything.
            third = Server(tmp_path / "third", home=reelgen_home)
            third.port, third.url = second.port, second.url
            third.http.close()
            third.start()
            assert third.process is not None
            assert third.process.wait(60) == 2
            assert "cannot listen on 127.0.0.1" in third.log() and "in use" in third.log()
            assert not (tmp_path / "third").exists()  # no store, no engine, no worker was started
            assert httpx.get(f"{second.url}/readyz").status_code == 200
    finally:
        second.stop()
    assert tally(store, created, seen) == {"lost": 0, "duplicated": 0, "stuck": 0, "completed_twice": 0}
    assert max(v["attempts"] for v in seen.values()) <= 2
    assert not (Path(str(data_dir.parent / "user-home")) / ".ray").exists()

"""kill -9 of a worker, twice, another job each time: each killed job runs again once, none is lost.

Apart from test_kill.py so that xdist (--dist loadfile: one file, one unit) runs it beside the other kill tests.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from reelgen.jobs.store import JobStore
from tests.service.server import running, tally


# SQLite only: a worker's death is seen and its job requeued by the engine and the dispatcher, the same
# on either store, and PostgreSQL's requeue of a dead owner's job is what test_kill.py's kill of the
# API tries on it (each run here restarts the worker twice: some 20 s of CPU).
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_kill_9_of_a_worker_requeues_its_job_once(
    database: str, store: JobStore, tmp_path: Path, reelgen_home: Path
) -> None:
    with running(tmp_path / "server", home=reelgen_home, database_url=database) as server:
        created = [server.create(seed=i, num_inference_steps=6).json()["id"] for i in range(4)]
        for _ in range(2):  # twice, a worker dies in the middle of a job (another job each time)
            # Kill only while a first attempt runs and every job killed before has run again to its
            # end: the worker may finish the job seen running and start the next before the kill lands.
            deadline = time.monotonic() + 120
            while True:
                videos = server.videos(created)
                retried = [v for v in videos if v["attempts"] > 1]
                if all(v["status"] == "completed" for v in retried) and any(
                    v["status"] == "in_progress" and v["attempts"] == 1 for v in videos
                ):
                    break
                assert time.monotonic() < deadline, server.log()
                time.sleep(0.1)
            worker = server.http.get("/v1/system").json()["workers"][0]
            os.kill(int(worker["pid"]), signal.SIGKILL)
            deadline = time.monotonic() + 60
            while server.http.get("/readyz").status_code == 200 and time.monotonic() < deadline:
                time.sleep(0.05)  # the death shows in readiness ...
            server.wait_ready()  # ... and the worker comes back
        seen = server.wait_all(created)
        assert server.process is not None and server.process.poll() is None
    assert tally(store, created, seen) == {"lost": 0, "duplicated": 0, "stuck": 0, "completed_twice": 0}
    # Two jobs were killed mid-run and ran again, once each; the rest ran once.
    assert sorted(v["attempts"] for v in seen.values()) == [1, 1, 2, 2]

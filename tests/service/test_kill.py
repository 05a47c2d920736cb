"""kill -9 of the API, of a worker and of the engine: no job lost, duplicated, stuck or completed twice."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from reelgen.jobs.store import JobStore
from tests.jobs.conftest import postgres_url  # noqa: F401  (fixture)
from tests.service.server import TERMINAL, Server, pids_alive, running


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server' / 'jobs.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(database: str) -> Iterator[JobStore]:
    (Path(database.removeprefix("sqlite:///")).parent if database.startswith("sqlite") else Path(".")).mkdir(
        parents=True, exist_ok=True
    )
    opened = JobStore(database)
    yield opened
    opened.close()


def tally(store: JobStore, created: list[str], seen: dict[str, dict[str, Any]]) -> dict[str, int]:
    """What the issue counts: jobs lost, duplicated, stuck, completed twice (each must be 0)."""
    every = store.list(limit=10_000).items
    completions = {j: sum(e.type == "completed" for e in store.events(j)) for j in created}
    return {
        "lost": sum(1 for j in created if seen.get(j, {}).get("status") != "completed"),
        "duplicated": len(every) - len(set(created)),
        "stuck": sum(1 for v in seen.values() if v["status"] not in TERMINAL),
        "completed_twice": sum(1 for n in completions.values() if n > 1),
    }


def test_kill_9_of_the_api_mid_run_loses_nothing(
    database: str, store: JobStore, tmp_path: Path, reelgen_home: Path
) -> None:
    data_dir = tmp_path / "server"
    first = Server(data_dir, home=reelgen_home, database_url=database).start()
    first.wait_ready()
    keys = [f"job-{i}" for i in range(8)]
    created = [first.create(key, seed=i).json()["id"] for i, key in enumerate(keys)]
    # Kill it while a job runs and others wait.
    deadline = time.monotonic() + 120
    while not any(first.video(j)["status"] == "in_progress" for j in created[2:]):
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
    finally:
        second.stop()
    assert tally(store, created, seen) == {"lost": 0, "duplicated": 0, "stuck": 0, "completed_twice": 0}
    assert max(v["attempts"] for v in seen.values()) <= 2
    assert not (Path(str(data_dir.parent / "user-home")) / ".ray").exists()


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
                videos = [server.video(j) for j in created]
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


def test_a_port_in_use_is_said_before_anything_starts(tmp_path: Path, reelgen_home: Path) -> None:
    with running(tmp_path / "one", home=reelgen_home) as first:
        second = Server(tmp_path / "two", home=reelgen_home)
        second.port, second.url = first.port, first.url
        second.start()
        assert second.process is not None
        assert second.process.wait(60) == 2
        assert "cannot listen on 127.0.0.1" in second.log() and "in use" in second.log()
        assert not (tmp_path / "two").exists()  # no store, no engine, no worker was started
        assert httpx.get(f"{first.url}/readyz").status_code == 200

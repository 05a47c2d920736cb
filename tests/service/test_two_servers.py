"""Two API processes on one PostgreSQL share the queue: neither takes or requeues the other's running jobs."""

from __future__ import annotations

import time
from pathlib import Path

from reelgen.jobs.store import JobStore
from tests.jobs.conftest import postgres_url  # noqa: F401  (fixture)
from tests.service.server import Server


def test_two_servers_on_one_postgres_run_every_job_once(
    postgres_url: str,  # noqa: F811
    tmp_path: Path,
    reelgen_home: Path,
) -> None:
    data_dir = tmp_path / "server"  # one data dir: either server serves the other's files
    first = Server(data_dir, home=reelgen_home, database_url=postgres_url).start()
    first.wait_ready()
    running_on_first = first.create(prompt="long", num_inference_steps=30).json()["id"]
    deadline = time.monotonic() + 120
    while first.video(running_on_first)["status"] != "in_progress":
        assert time.monotonic() < deadline, first.log()
        time.sleep(0.1)
    # A second server starting now must leave the first one's running job alone.
    second = Server(data_dir, home=reelgen_home, database_url=postgres_url).start()
    try:
        second.wait_ready()
        servers = (first, second)
        created = [running_on_first]
        created += [servers[i % 2].create(seed=i).json()["id"] for i in range(4)]
        seen = second.wait_all(created)
        cancel_me = first.create(prompt="cancel through the other", num_inference_steps=200).json()["id"]
        deadline = time.monotonic() + 120
        while first.video(cancel_me)["status"] != "in_progress":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert second.http.post(f"/v1/videos/{cancel_me}/cancel").status_code == 200
        cancelled = second.wait_all([cancel_me], timeout_s=60)[cancel_me]
        video = first.http.get(f"/v1/videos/{created[-1]}/content")
    finally:
        second.stop()
        first.stop()
    assert {v["status"] for v in seen.values()} == {"completed"}
    assert {v["attempts"] for v in seen.values()} == {1}  # nobody's job was taken from it
    assert cancelled["status"] == "cancelled"
    assert video.status_code == 200 and video.content[4:8] == b"ftyp"
    store = JobStore(postgres_url)
    try:
        owners = {store.get(j).owner for j in created}
        completions = [sum(e.type == "completed" for e in store.events(j)) for j in created]
    finally:
        store.close()
    assert len(owners) == 2  # both servers ran jobs
    assert completions == [1] * len(created)

"""A server started again in a new container (same data folder) clears what its predecessor's runs left in scratch."""

from __future__ import annotations

import io
import time
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from reelgen.jobs import owners
from tests.service.server import TINY, Server, pids_alive

#: The killed server, as a server of another container (another pid namespace) names itself.
ELSEWHERE = "otherbox@0badf00d.4026532999"


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 80, 40)).save(buf, format="PNG")
    return buf.getvalue()


def create_with_image(server: Server, steps: int) -> str:
    form = {**TINY, "model": "wan-i2v-tiny", "num_inference_steps": steps}
    resp = server.http.post(
        "/v1/videos",
        data={k: str(v) for k, v in form.items()},
        files={"input_reference": ("fox.png", png(), "image/png")},
    )
    assert resp.status_code in (200, 201, 202), resp.text
    return str(resp.json()["id"])


def run_folders(data_dir: Path, job_id: str) -> list[Path]:
    return sorted((data_dir / "scratch").glob(f"*/worker-*/{job_id}-*"))


def test_a_server_restarted_in_a_new_container_sweeps_the_runs_its_predecessor_left(
    tmp_path: Path, reelgen_home: Path
) -> None:
    data_dir = tmp_path / "server"
    first = Server(data_dir, home=reelgen_home).start()
    first.wait_ready()
    assert first.process is not None
    running = create_with_image(first, steps=1000)
    waiting = create_with_image(first, steps=2)  # queued behind it, its upload in inputs/
    deadline = time.monotonic() + 120
    while not [p for f in run_folders(data_dir, running) for p in f.glob("input-*")]:
        assert time.monotonic() < deadline, first.log()
        time.sleep(0.2)
    pid = first.process.pid
    workers = first.kill()
    deadline = time.monotonic() + 10
    while pids_alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)

    # What a server of another container leaves: its folder and its lease named by a machine
    # (pid namespace) that this one cannot see, so neither the pid nor the folder can be checked.
    ours = data_dir / "scratch" / f"{owners.machine()}-{pid}"
    theirs = ours.with_name(f"{ELSEWHERE}-{pid}")
    ours.rename(theirs)
    db = sa.create_engine(f"sqlite:///{data_dir / 'jobs.db'}")
    with db.begin() as conn:
        conn.execute(
            sa.text("UPDATE reelgen_jobs SET owner = :owner WHERE id = :id"),
            {"owner": f"{ELSEWHERE}/{pid}/abcd1234", "id": running},
        )
    db.dispose()
    assert [p for f in run_folders(data_dir, running) for p in f.glob("input-*")]  # its input's copy

    second = Server(data_dir, home=reelgen_home).start()
    try:
        second.wait_ready()
        deadline = time.monotonic() + 60  # its lease (6 s here) runs out, then it is requeued
        while run_folders(data_dir, running) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [p for p in run_folders(data_dir, running) if theirs in p.parents] == [], second.log()
        second.http.post(f"/v1/videos/{running}/cancel")
        # The job that waited still finds its upload: only the workers' copies were swept.
        seen = second.wait_all([waiting], timeout_s=180)
        assert seen[waiting]["status"] == "completed", seen[waiting]
    finally:
        second.stop()

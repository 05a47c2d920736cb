"""A real `reelgen serve` (private Ray, CPU worker, wan-tiny) driven by the openai SDK, httpx and the CLI."""

from __future__ import annotations

import base64
import io
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app as cli_app
from reelgen.cli.client import sse_events
from reelgen.jobs.store import JobStore
from tests.service.server import SERVE_MAIN

TINY = {"model": "wan-tiny", "size": "64x64", "num_frames": 9}


class Server:
    def __init__(self, url: str, data_dir: Path, process: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.data_dir = data_dir
        self.process = process
        self.http = httpx.Client(base_url=url, timeout=30.0)

    def create(self, **fields: Any) -> dict[str, Any]:
        resp = self.http.post("/v1/videos", json={"prompt": "a red fox", **TINY, **fields})
        assert resp.status_code == 202, resp.text
        return dict(resp.json())

    def wait(self, video_id: str, statuses: tuple[str, ...], timeout_s: float = 240.0) -> dict[str, Any]:
        """Poll like a client would, until the job reaches one of ``statuses``."""
        deadline = time.monotonic() + timeout_s
        while True:
            video = dict(self.http.get(f"/v1/videos/{video_id}").json())
            if video["status"] in statuses:
                return video
            if time.monotonic() > deadline:
                raise AssertionError(f"{video_id} still {video['status']} after {timeout_s} s")
            time.sleep(0.1)

    def started_at(self, video_id: str) -> float:
        """The exact start time, read from the store the server writes (the API rounds to seconds)."""
        store = JobStore(f"sqlite:///{self.data_dir / 'jobs.db'}")
        try:
            started = store.get(video_id).started_at
        finally:
            store.close()
        assert started is not None
        return started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`reelgen serve` in its own process, as a user starts it; stopped with Ctrl-C (SIGINT)."""
    data_dir = tmp_path_factory.mktemp("live") / "server"
    port = _free_port()
    env = {
        **os.environ,
        "REELGEN_HOME": str(reelgen_home),
        "REELGEN_RAY_NUM_CPUS": "2",
        "REELGEN_CPU_WORKERS": "1",
        "OMP_NUM_THREADS": "1",
        "REELGEN_POLL_AFTER_MS": "100",
        "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    }
    log = (data_dir.parent / "serve.log").open("wb")
    cmd = [
        sys.executable,
        "-c",
        SERVE_MAIN,
        "serve",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    live = Server(f"http://127.0.0.1:{port}", data_dir, process)
    try:
        deadline = time.monotonic() + 240
        while True:
            assert process.poll() is None, (data_dir.parent / "serve.log").read_text()[-3000:]
            try:
                if live.http.get("/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server not ready within 240 s"
            time.sleep(0.5)
        yield live
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        live.http.close()
        log.close()


def frames_of(data: bytes) -> tuple[int, int, int]:
    with av.open(io.BytesIO(data), mode="r") as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return len(frames), frames[0].shape[1], frames[0].shape[0]


def test_openai_client_creates_polls_and_downloads(server: Server, tmp_path: Path) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key="not-needed-on-loopback", max_retries=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # OpenAI deprecated its own Videos API
        video = client.videos.create_and_poll(
            prompt="a red fox in snow",
            model="wan-tiny",
            size="64x64",  # type: ignore[arg-type]
            extra_body={"num_frames": 9, "seed": 5},
        )
        assert video.status == "completed" and video.progress == 100
        assert video.size == "64x64" and video.model == "wan-tiny"
        assert video.model_extra is not None and video.model_extra["seed"] == 5
        client.videos.download_content(video.id).write_to_file(tmp_path / "fox.mp4")
        listed = [v.id for v in client.videos.list(limit=100)]
    assert frames_of((tmp_path / "fox.mp4").read_bytes()) == (9, 64, 64)
    assert video.id in listed
    thumb = server.http.get(f"/v1/videos/{video.id}/content", params={"variant": "thumbnail"})
    assert thumb.headers["content-type"] == "image/png" and thumb.content.startswith(b"\x89PNG")
    part = server.http.get(f"/v1/videos/{video.id}/content", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.content == (tmp_path / "fox.mp4").read_bytes()[:100]
    whole = (tmp_path / "fox.mp4").read_bytes()
    for malformed in ("bytes=abc", "items=0-99", "bytes=99-2"):  # were text/plain 400s
        ignored = server.http.get(f"/v1/videos/{video.id}/content", headers={"Range": malformed})
        assert ignored.status_code == 200 and ignored.content == whole, malformed  # as RFC 9110 allows
    past = server.http.get(f"/v1/videos/{video.id}/content", headers={"Range": "bytes=99999999-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{len(whole)}"
    assert past.json()["error"]["code"] == "range_not_satisfiable"  # was an empty body


def test_the_api_process_never_imports_torch(server: Server) -> None:
    server.create()  # a job through the whole path first
    system = server.http.get("/v1/system").json()
    assert system["detail"]["api"]["torch_loaded"] is False
    assert system["workers"] and system["workers"][0]["alive"]
    assert system["detail"]["api"]["pid"] == server.process.pid


def test_events_stream_progress_and_resume(server: Server) -> None:
    video = server.create(num_inference_steps=3)
    with server.http.stream("GET", f"/v1/videos/{video['id']}/events") as resp:
        events = list(sse_events(resp.iter_lines()))
    names = [name for _, name, _ in events]
    # A job that waits is told its place in line first ("position", no id), however briefly it waits.
    logged = [name for name in names if name != "position"]
    assert logged[:3] == ["open", "queued", "started"] and names[-1] == "completed"
    assert names.count("position") <= 1 and "position" not in names[names.index("started") :]
    steps = [d["step"] for _, n, d in events if n == "progress" and d["stage"] == "denoise"]
    assert steps[-1] == 3 and steps == sorted(steps)
    assert any("preview" in d for _, n, d in events if n == "progress")
    # "position" has no id of its own: a reader keeps the last one it was given, as SSE says.
    ids = [int(i) for i, name, _ in events if i is not None and name != "position"]
    assert ids == list(range(1, len(ids) + 1))
    headers = {"Last-Event-ID": str(ids[-3])}
    with server.http.stream("GET", f"/v1/videos/{video['id']}/events", headers=headers) as resp:
        resumed = [int(i) for i, _, _ in sse_events(resp.iter_lines()) if i is not None]
    assert resumed == ids[-2:]


def test_cancel_while_running_stops_and_the_worker_takes_the_next_job(server: Server) -> None:
    long = server.create(num_inference_steps=1000)
    with server.http.stream("GET", f"/v1/videos/{long['id']}/events") as resp:
        for _, name, data in sse_events(resp.iter_lines()):
            if name == "progress" and data.get("stage") == "denoise" and data["step"] >= 1:
                assert server.http.post(f"/v1/videos/{long['id']}/cancel").status_code == 200
            if name in ("completed", "failed", "cancelled"):
                break
    assert name == "cancelled"
    final = server.http.get(f"/v1/videos/{long['id']}").json()
    assert final["status"] == "cancelled" and final["error"]["code"] == "cancelled"
    assert final["progress"] < 50
    assert server.http.get(f"/v1/videos/{long['id']}/content").status_code == 409
    after = server.create()
    assert server.wait(after["id"], ("completed", "failed"))["status"] == "completed"


def test_cancel_while_queued_and_priority_order(server: Server) -> None:
    blocker = server.create(num_inference_steps=1000)
    server.wait(blocker["id"], ("in_progress",))
    low = server.create(prompt="low")
    high = server.create(prompt="high", priority=5)
    dropped = server.create(prompt="never runs")
    assert server.http.get(f"/v1/videos/{high['id']}").json()["queue_position"] == 0
    assert server.http.post(f"/v1/videos/{dropped['id']}/cancel").json()["status"] == "cancelled"
    server.http.post(f"/v1/videos/{blocker['id']}/cancel")
    for job in (low, high):
        assert server.wait(job["id"], ("completed", "failed"))["status"] == "completed"
    assert server.started_at(high["id"]) < server.started_at(low["id"])
    assert server.http.get(f"/v1/videos/{dropped['id']}").json()["attempts"] == 0


def test_image_upload_runs_image_to_video(server: Server) -> None:
    from tests.api.conftest import png

    resp = server.http.post(
        "/v1/videos",
        data={"prompt": "a green field", "model": "wan-i2v-tiny", "num_frames": "9"},
        files={"input_reference": ("field.png", png(80, 60, (30, 200, 40)), "image/png")},
    )
    assert resp.status_code == 202, resp.text
    assert server.wait(resp.json()["id"], ("completed", "failed"))["status"] == "completed"


def test_generate_video_returns_the_mp4_inline(server: Server) -> None:
    resp = server.http.post(
        "/generate-video", json={"prompt": "a fox", "model": "wan-tiny", "num_frames": 9}, timeout=240
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert frames_of(base64.b64decode(body["video"])) == (9, 64, 64)
    assert body["duration_ms"] == 1125 and body["generation_time_ms"] > 0  # 9 frames at 8 fps


def test_cli_submit_watch_status_download(server: Server, tmp_path: Path) -> None:
    runner = CliRunner()
    opts = ["--server", server.url]
    out = runner.invoke(
        cli_app, ["submit", "a fox", "--model", "wan-tiny", "--frames", "9", "--watch", *opts]
    )
    assert out.exit_code == 0, out.output
    video_id = out.output.split()[0]
    assert "completed" in out.output
    status = runner.invoke(cli_app, ["status", video_id, "--json", *opts])
    assert '"status": "completed"' in status.output
    target = tmp_path / "cli.mp4"
    got = runner.invoke(cli_app, ["download", video_id, "-o", str(target), *opts])
    assert got.exit_code == 0, got.output
    assert frames_of(target.read_bytes()) == (9, 64, 64)
    missing = runner.invoke(cli_app, ["status", "video_" + "0" * 32, *opts])
    assert missing.exit_code == 2 and "HTTP 404" in missing.output  # bad input, as local commands exit

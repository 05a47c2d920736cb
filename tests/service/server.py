"""A `reelgen serve` in its own process, as a person starts it, for the soak and kill tests.

It renders with ``wan-tiny`` on one CPU worker. ``kill()`` is ``kill -9`` of the
API process (its workers notice on their own); ``processes()`` lists every
process the server started, so a test can check none outlives it.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import psutil

if TYPE_CHECKING:
    from reelgen.jobs.store import JobStore

#: A clip that renders in about a second on one CPU core.
TINY = {
    "prompt": "a red fox",
    "model": "wan-tiny",
    "size": "64x64",
    "num_frames": 9,
    "num_inference_steps": 2,
}
TERMINAL = ("completed", "failed", "cancelled")

#: ``python -c`` code that runs `reelgen serve` as a user starts it, ended (SIGTERM, as a service
#: manager stops it) when the test process that started it dies: a test process ended by a
#: timeout left its server rendering a long job on a core of CI's two for the rest of the run.
SERVE_MAIN = (
    "import ctypes, signal, sys; sys.platform == 'linux' and ctypes.CDLL(None).prctl(1, signal.SIGTERM); "
    "from reelgen.cli import entry; entry()"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One server process over ``data_dir`` (and ``database_url``, default its SQLite file)."""

    def __init__(self, data_dir: Path, *, home: Path, database_url: str | None = None, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir.parent / f"serve-{self.port}.log"
        # As a person starts it: without the test session's RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0, so the
        # server's own setting of it (a private Ray on loopback) is what the tests see.
        inherited = {k: v for k, v in os.environ.items() if k != "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"}
        self.env = {
            **inherited,
            "REELGEN_HOME": str(home),
            "HOME": str(home.parent / "user-home"),  # nothing may be written outside the data dir
            "REELGEN_CPU_WORKERS": "1",
            "REELGEN_RAY_NUM_CPUS": "2",
            "REELGEN_LEASE_S": "6",
            "OMP_NUM_THREADS": "1",
            **({"REELGEN_DATABASE_URL": database_url} if database_url else {}),
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.url, timeout=60.0)

    def start(self) -> Server:
        (self.data_dir.parent / "user-home").mkdir(exist_ok=True)
        cmd = [
            sys.executable,
            "-c",
            SERVE_MAIN,
            "serve",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            "--log-level",
            "warning",
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def wait_ready(self, timeout_s: float = 240.0) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            assert self.process is not None and self.process.poll() is None, self.log()
            try:
                if self.http.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"not ready within {timeout_s} s\n{self.log()}"
            time.sleep(0.2)

    def processes(self) -> list[psutil.Process]:
        """The server process and everything it started (workers, Ray), while they run."""
        assert self.process is not None
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def names(self) -> list[str]:
        """The process names of ``processes()`` (Ray names its workers by role: ``ray::IDLE``, ``ray::VideoWorker``)."""
        found = []
        for proc in self.processes():
            try:
                found.append(proc.name())
            except psutil.NoSuchProcess:
                continue
        return found

    def listening(self) -> list[str]:
        """``name ip:port`` of every TCP socket the server and the processes it started listen on."""
        found = []
        for proc in self.processes():
            try:
                sockets = proc.net_connections(kind="tcp")
                name = proc.name()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            found += [
                f"{name} {c.laddr.ip}:{c.laddr.port}" for c in sockets if c.status == psutil.CONN_LISTEN
            ]
        return found

    def kill(self) -> list[int]:
        """``kill -9`` of the API process alone; returns the pids it had started."""
        assert self.process is not None
        children = [p.pid for p in self.processes()[1:]]
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        return children

    def stop(self) -> None:
        """Ctrl-C, as a person stops it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.http.close()

    # ---- client side --------------------------------------------------------------------------

    def create(self, key: str | None = None, **fields: Any) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return self.http.post("/v1/videos", json={**TINY, **fields}, headers=headers)

    def video(self, video_id: str) -> dict[str, Any]:
        return dict(self.http.get(f"/v1/videos/{video_id}").json())

    def videos(self, ids: list[str]) -> list[dict[str, Any]]:
        """The jobs ``ids`` in that order: several from one list request (a request per job, ten a second,
        was a tenth of a core of the server's and this process's time while a test waited on a worker)."""
        if len(ids) < 2:
            return [self.video(video_id) for video_id in ids]
        listed = {v["id"]: v for v in self.http.get("/v1/videos", params={"limit": 100}).json()["data"]}
        return [listed[video_id] if video_id in listed else self.video(video_id) for video_id in ids]

    def wait_all(self, ids: list[str], timeout_s: float = 300.0) -> dict[str, dict[str, Any]]:
        """Poll as a client would until every job has ended (or the time is up: the rest are stuck)."""
        deadline = time.monotonic() + timeout_s
        while True:
            seen = dict(zip(ids, self.videos(ids), strict=True))
            if all(v["status"] in TERMINAL for v in seen.values()) or time.monotonic() > deadline:
                return seen
            time.sleep(0.5)


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


def ray_folders(pid: int) -> list[Path]:
    """Private-Ray temp folders a server process ``pid`` left in the temp folder."""
    found = []
    for folder in Path(tempfile.gettempdir()).glob("reelgen-ray-*"):
        owner = folder / "reelgen-owner"
        if owner.is_file() and owner.read_text().split()[-1] == str(pid):
            found.append(folder)
    return found


def pids_alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


@contextmanager
def running(data_dir: Path, *, home: Path, database_url: str | None = None, **env: str) -> Iterator[Server]:
    server = Server(data_dir, home=home, database_url=database_url, **env).start()
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def on_loopback(listening: str) -> bool:
    """Whether a ``name ip:port`` from ``Server.listening`` is reachable from this machine only."""
    address = ipaddress.ip_address(listening.split()[-1].rsplit(":", 1)[0])
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is IPv4's loopback on a v6 socket
    return address.is_loopback or (mapped is not None and mapped.is_loopback)

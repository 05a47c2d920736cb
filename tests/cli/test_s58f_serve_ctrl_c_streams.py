"""Ctrl-C of `reelgen serve` with an event stream open stops at once, not after uvicorn's 5 s grace."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create
from tests.service.server import free_port

#: `reelgen serve` as a user starts it, ended by SIGTERM if this test process dies first (as
#: tests/service/server.py does), its job service left unstarted (``create_app(start_service=False)``):
#: the job stays queued, and no worker process takes the test machine's cores meanwhile.
SERVE_QUIET = (
    "import ctypes, functools, signal, sys; sys.platform == 'linux' and ctypes.CDLL(None).prctl(1, signal.SIGTERM); "
    "import reelgen.api.app as a; a.create_app = functools.partial(a.create_app, start_service=False); "
    "from reelgen.cli import entry; entry()"
)


@pytest.mark.timeout(180)
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_with_an_event_stream_open_stops_at_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    store = JobStore(f"sqlite:///{data / 'jobs.db'}")
    try:
        job = create(store)
    finally:
        store.close()
    port = free_port()
    env = {**os.environ, "REELGEN_HOME": str(tmp_path / "home"), "HOME": str(tmp_path / "user-home")}
    cmd = [sys.executable, "-c", SERVE_QUIET, "serve", "--port", str(port), "--data-dir", str(data)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.communicate()[0].decode(errors="replace")
            try:
                # /healthz: with no job service started, /readyz never says ready.
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server was not ready within 120 s"
            time.sleep(0.1)
        with (
            httpx.Client(base_url=url, timeout=30) as http,
            http.stream("GET", f"/v1/videos/{job.id}/events") as resp,
        ):
            assert resp.status_code == 200
            lines = resp.iter_lines()
            assert [next(lines), next(lines)] == ["retry: 1000", "event: open"]
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)
            try:
                rest = list(lines)  # the server ends the stream itself
            except httpx.TransportError as exc:  # before: cut off once the grace had passed
                rest = [f"cut off: {exc}"]
            ended = time.monotonic() - sent
            out, _ = proc.communicate(timeout=60)
            took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    said = out.decode(errors="replace")
    # Before, uvicorn waited its whole timeout_graceful_shutdown (5 s) for the stream, then cut it off:
    # the process ended 5.1 s or more after Ctrl-C. Now the stream ends at once (0.1-0.2 s); the
    # process then takes about a second more to exit (the interpreter's own teardown, 2-3 s on a
    # loaded test machine).
    assert ended < 2.0, f"the stream ended {ended:.1f} s after Ctrl-C: {rest}\n{said}"
    assert took < 4.5, f"stopped {took:.1f} s after Ctrl-C\n{said}"
    assert ": server stopping" in rest, rest
    assert "Traceback" not in said and "closed 1 request(s) still open" not in said, said
    assert said.strip().splitlines()[-1] == (
        "stopped with 1 job(s) not finished; they stay queued and run when the server starts again"
    ), said
    assert proc.returncode == 130, said

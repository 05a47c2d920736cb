"""Ctrl-C stops the server within seconds, an open event stream or not, and leaves no process behind."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx

from tests.service.server import Server, pids_alive


def test_ctrl_c_with_an_event_stream_open_stops_everything_and_sigterm_stops_as_it_does(
    tmp_path: Path, reelgen_home: Path
) -> None:
    server = Server(tmp_path / "server", home=reelgen_home).start()
    server.wait_ready()
    video = server.create(num_inference_steps=500).json()["id"]
    opened = threading.Event()

    def listen() -> None:
        try:
            with httpx.stream("GET", f"{server.url}/v1/videos/{video}/events", timeout=None) as resp:
                for _ in resp.iter_lines():
                    opened.set()
        except httpx.HTTPError:
            pass  # the server closed it, as it must when it stops

    threading.Thread(target=listen, daemon=True).start()
    assert opened.wait(60)
    assert server.process is not None
    started = [p.pid for p in server.processes()[1:]]
    began = time.monotonic()
    server.process.send_signal(signal.SIGINT)
    server.process.wait(60)  # it used to wait for the stream, i.e. for a job that never ends
    assert time.monotonic() - began < 30
    deadline = time.monotonic() + 10
    while pids_alive(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pids_alive(started) == []
    said = " ".join(server.log().split())
    assert "stopped with 1 job(s) not finished; they stay queued and run when the server starts again" in said
    assert "Traceback" not in said  # the event stream cut off at the deadline is no failure
    # Started again, the job is still there, queued; a service manager stops this one with SIGTERM, and it
    # stops as Ctrl-C does and says what it left (the last line used to be lost to the signal's default action).
    again = Server(tmp_path / "server", home=reelgen_home).start()
    try:
        again.wait_ready()
        assert again.video(video)["status"] in ("queued", "in_progress")
        assert again.video(video)["attempts"] <= 1  # an orderly stop used up no attempt
        assert again.process is not None
        again.process.send_signal(signal.SIGTERM)
        assert again.process.wait(60) == 128 + signal.SIGTERM
    finally:
        again.stop()
    said = " ".join(again.log().split())
    assert "stopped with 1 job(s) not finished; they stay queued and run when the server starts again" in said
    assert "Traceback" not in said

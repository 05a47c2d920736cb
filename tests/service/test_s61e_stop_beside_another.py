"""A server stopped beside another on the same data folder does not count the other's running job as its own."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.service.server import Server


def test_the_stop_line_says_a_job_runs_on_the_other_server(tmp_path: Path, reelgen_home: Path) -> None:
    first = Server(tmp_path / "server", home=reelgen_home).start()
    second = Server(tmp_path / "server", home=reelgen_home)
    try:
        first.wait_ready()
        video = first.create(num_inference_steps=1000, size="128x128", num_frames=33).json()[
            "id"
        ]  # outlasts the test
        deadline = time.monotonic() + 120
        while first.video(video)["status"] != "in_progress" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert first.video(video)["status"] == "in_progress"
        second.start().wait_ready()
        assert second.process is not None
        second.process.send_signal(signal.SIGTERM)
        assert second.process.wait(60) == 128 + signal.SIGTERM
        said = " ".join(second.log().split())
        # It said "they stay queued and run when the server starts again" of a job running on the first.
        assert "they stay queued" not in said
        assert (
            "stopped with 1 job(s) not finished; 1 of them run on another server using the same job "
            "database, which runs the queued ones too (as this one does when it starts again)"
        ) in said
        assert first.video(video)["status"] == "in_progress"  # untouched by the other's stop
    finally:
        second.stop()
        first.stop()

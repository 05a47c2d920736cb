"""Bursts of 200 concurrent requests with an idle gap between, past the web server's thread pruning: all survive.

The private Ray here, the local engine in test_soak.py: each run is mostly idle gaps (the condition under
test), and as two files xdist (--dist loadfile) runs them on two test processes at once. Its server, stopped
with Ctrl-C, is also the one that shows what a clean stop leaves of a private Ray (test_kill_ray.py kills its).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.service.server import ray_folders
from tests.service.soak import soak


@pytest.mark.parametrize("engine", ["ray"])
def test_bursts_and_idle_gaps_leave_the_server_the_engine_and_every_job_alive_and_a_stop_no_ray_behind(
    engine: str, tmp_path: Path, reelgen_home: Path
) -> None:
    stopped = soak(engine, tmp_path, reelgen_home)
    # Stopped with Ctrl-C, it leaves no folder of its private Ray, and wrote nothing of Ray's in the home.
    assert stopped.process is not None and ray_folders(stopped.process.pid) == []
    assert not list((tmp_path / "server").glob("ray-*")) and not (tmp_path / "user-home" / ".ray").exists()

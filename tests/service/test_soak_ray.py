"""Bursts of 200 concurrent requests with an idle gap between, past the web server's thread pruning: all survive.

The private Ray here, the local engine in test_soak.py: each run is mostly idle gaps (the condition under
test), and as two files xdist (--dist loadfile) runs them on two test processes at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.service.soak import soak


@pytest.mark.parametrize("engine", ["ray"])
def test_bursts_and_idle_gaps_leave_the_server_the_engine_and_every_job_alive(
    engine: str, tmp_path: Path, reelgen_home: Path
) -> None:
    soak(engine, tmp_path, reelgen_home)

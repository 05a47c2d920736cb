"""The CPU split counts the cores this process may use, as a container or taskset allows them."""

from __future__ import annotations

import os

import pytest

from reelgen.core.parallel.env import usable_cores


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux's CPU affinity")
def test_the_cores_counted_are_those_this_process_may_run_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 64)  # the machine's, as `docker --cpuset-cpus=0,1` leaves it
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert usable_cores() == 2

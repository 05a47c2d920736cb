"""A SIGTERM to a server on Ray stops it without Ray's stack dump, which read like a crash in its log.

Ray's C++ core printed "*** SIGTERM received at time=... ***", "PC: @ ... epoll_wait"
and stack addresses (twice) before the server's own handler stopped it cleanly. A
real Ray takes 5 CPU-seconds and more to start, so this test checks the setting Ray
reads when the server joins it (checked by hand with `reelgen serve` on a private
Ray and on a cluster: no dump).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reelgen.jobs.cluster import init_ray
from reelgen.jobs.settings import JobSettings


def test_a_server_joining_ray_asks_it_for_no_stack_dump_on_sigterm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ray
    from ray._private import ray_constants

    monkeypatch.setattr(ray_constants, "RAY_DISABLE_FAILURE_SIGNAL_HANDLER", False)  # Ray's default
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    joined: list[bool] = []
    monkeypatch.setattr(
        ray, "init", lambda *a, **k: joined.append(ray_constants.RAY_DISABLE_FAILURE_SIGNAL_HANDLER)
    )
    # Joining a cluster; a private Ray passes the same lines first, then sets Ray's settings for good.
    init_ray(JobSettings(data_dir=tmp_path, ray_address="127.0.0.1:6380"))
    assert joined == [True]

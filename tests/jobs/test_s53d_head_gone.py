"""A joined Ray cluster whose head went away: each restart of the engine says why at once, without Ray.

After the head's GCS died, the engine thread's restart called ``ray.init`` on the
dead address, which waited on it for ever and said nothing (over 5 minutes here):
``/readyz`` stayed 503, the log's last line was Ray's "Connecting to existing Ray
cluster", and a SIGTERM of ``serve`` waited a minute for the engine thread. Now
the start fails in a moment with the reason, which the supervisor logs before
trying again (backing off to 30 s), and a head that is back is joined.
"""

from __future__ import annotations

import importlib
import socket
from pathlib import Path

import pytest
import ray

from reelgen.core.errors import ReelgenError
from reelgen.jobs import _ray_address
from reelgen.jobs.cluster import RayEngine
from reelgen.jobs.settings import JobSettings


def _closed_port() -> int:
    """A loopback port no one listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def joins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the addresses ``ray.init`` is asked to join (and joins none); Ray's globals put back after."""
    auto_init = importlib.import_module("ray._private.auto_init_hook")
    constants = importlib.import_module("ray._private.ray_constants")
    monkeypatch.setattr(auto_init, "enable_auto_connect", auto_init.enable_auto_connect)
    monkeypatch.setattr(
        constants, "RAY_DISABLE_FAILURE_SIGNAL_HANDLER", constants.RAY_DISABLE_FAILURE_SIGNAL_HANDLER
    )
    monkeypatch.setattr(_ray_address, "_dialled", lambda host: host)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    asked: list[str] = []

    def init(address: str | None = None, **kwargs: object) -> None:
        asked.append(str(address))
        raise RuntimeError("ray.init was called")

    monkeypatch.setattr(ray, "init", init)
    return asked


def test_a_head_that_is_gone_fails_the_start_at_once_saying_why(joins: list[str], tmp_path: Path) -> None:
    port = _closed_port()
    engine = RayEngine(JobSettings(ray_address=f"127.0.0.1:{port}", data_dir=tmp_path))
    with pytest.raises(ReelgenError) as caught:
        engine.start()
    assert caught.value.message == (
        f"cannot reach the Ray cluster at RAY_ADDRESS=127.0.0.1:{port} (Connection refused); start it "
        f"there with `ray start --head --port {port}`, or unset RAY_ADDRESS to run workers here"
    )
    assert joins == []  # Ray was never asked to wait on it


def test_auto_is_left_to_ray_to_find(joins: list[str], tmp_path: Path) -> None:
    """``auto`` names no host:port to dial; ``serve`` has checked that a local ``ray start`` is there."""
    engine = RayEngine(JobSettings(ray_address="auto", data_dir=tmp_path))
    with pytest.raises(RuntimeError, match="ray.init was called"):
        engine.start()
    assert joins == ["auto"]

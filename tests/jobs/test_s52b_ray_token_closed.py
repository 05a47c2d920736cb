"""The token check of a Ray head whose port is closed answers at once, in one line, not after Ray's retries."""

from __future__ import annotations

import socket

import pytest
import ray._raylet

from reelgen.jobs._ray_token import token_problem
from tests.jobs.test_s51_cluster_token import _Head


def _closed_port() -> int:
    """A loopback port no one listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_closed_port_is_said_at_once_naming_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ray's client ignored the 1 s given it and tried for 11 s, then the check let the join wait on:
    # a closed port is now found by one connection, before Ray's client is asked anything.
    asked: list[object] = []
    monkeypatch.setattr(ray._raylet, "InnerGcsClient", lambda *a, **k: asked.append(a))
    port = _closed_port()
    said = token_problem(f"127.0.0.1:{port}", f"--address 127.0.0.1:{port}")
    assert asked == []
    assert said == (
        f"cannot reach the Ray cluster at --address 127.0.0.1:{port} (Connection refused); "
        f"start it there with `ray start --head --port {port}`"
    )


def test_a_head_slow_to_answer_is_left_to_the_join(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a refusal counts: a head across a slow link, reached by the address check, is not refused."""

    def slow(*args: object, **kwargs: object) -> socket.socket:
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "create_connection", slow)
    monkeypatch.setattr(ray._raylet, "InnerGcsClient", _Head)
    monkeypatch.setattr(_Head, "wants_token", False)
    assert token_problem("127.0.0.1:6380", "--address 127.0.0.1:6380") is None

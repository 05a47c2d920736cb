"""A Ray head address whose host is a wildcard (``*``, ``0.0.0.0``, ``::``) is refused, naming the host to give.

``ss -ltn`` on the head lists Ray's port as ``*:6380`` or ``0.0.0.0:6380``. Given as the
address, ``*`` passed the check (the resolver takes it for this machine) and Ray's own client
then retried ``Failed to connect to GCS at address *:6380`` for ever; ``0.0.0.0`` on another
machine was "cannot reach ... start it there with `ray start --head`", though the head ran.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.jobs._ray_address import head_problem

runner = CliRunner()


@pytest.fixture
def listening_port() -> Iterator[int]:
    """A loopback port something listens on, as a head's would (nothing there ever answers)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener.getsockname()[1]


@pytest.mark.parametrize("host", ["*", "0.0.0.0", "[::]", "::"])
def test_a_wildcard_host_is_named_with_the_address_to_give(host: str, listening_port: int) -> None:
    address = f"{host}:{listening_port}"
    problem = head_problem(address, "RAY_ADDRESS=", timeout_s=0.5)
    assert problem is not None
    words = " ".join(problem.split())
    assert f"RAY_ADDRESS={address} names no machine" in words
    assert "give the head machine's address" in words and f"such as 10.0.0.5:{listening_port}" in words
    assert "start it there" not in words and "answers, but not as a Ray head" not in words


def test_reelgen_worker_refuses_a_wildcard_address_at_once(listening_port: int) -> None:
    result = runner.invoke(app, ["worker", "--address", f"*:{listening_port}"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"--address *:{listening_port} names no machine" in said
    assert "Traceback" not in result.output


def test_serve_refuses_a_wildcard_ray_address_before_it_listens(tmp_path: Path, listening_port: int) -> None:
    env = {"REELGEN_HOME": str(tmp_path), "RAY_ADDRESS": f"0.0.0.0:{listening_port}"}
    result = runner.invoke(app, ["serve", "--port", "1"], env=env)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"RAY_ADDRESS=0.0.0.0:{listening_port} names no machine" in said
    assert "or unset RAY_ADDRESS to run workers here" in said
    assert "reelgen serving" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "jobs").exists()

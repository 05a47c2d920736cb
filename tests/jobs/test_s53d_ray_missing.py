"""Ray missing from the environment (uninstalled, a partial install): one line saying so, exit 2.

Ray is a dependency of reelgen, but an environment can lose it. ``serve`` with
``REELGEN_ENGINE=ray`` or ``RAY_ADDRESS`` then started, printed "stopping the ray
engine failed: No module named ray" and "internal error (ImportError ...) ...
report it"; ``reelgen worker`` ended in Python's traceback from ``ray start``.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.jobs import _ray_address, cluster
from tests.jobs.test_s44b_ray_address import GCS_SETTINGS, server

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def free_port() -> str:
    """A loopback port no one listens on, for a server that must stop before listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


@pytest.fixture
def no_ray(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """``import ray`` fails as it does where Ray is not installed; returns the nodes ``worker`` started."""
    for name in ["ray", *(m for m in sys.modules if m.startswith("ray."))]:
        monkeypatch.setitem(sys.modules, name, None)  # None in sys.modules: the import raises ImportError
    monkeypatch.setattr(_ray_address, "_dialled", lambda host: host)  # the fake head is on loopback
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path))
    for name in ("RAY_ADDRESS", "REELGEN_ENGINE", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    started: list[str] = []
    monkeypatch.setattr(cluster, "run_worker_node", lambda address, gpus: started.append(address) or 0)
    return started


def test_worker_says_ray_is_missing_instead_of_a_traceback(no_ray: list[str]) -> None:
    with server(GCS_SETTINGS) as port:
        result = runner.invoke(app, ["worker", "--address", f"127.0.0.1:{port}", "--num-gpus", "0"])
    assert result.exit_code == 2, result.output
    assert said(result.output) == (
        "error: reelgen worker needs Ray, which cannot be imported here (import of ray halted; None in "
        "sys.modules); install it with `pip install ray` (the version the head runs)"
    )
    assert no_ray == []


def test_serve_on_a_cluster_says_ray_is_missing_before_it_starts(no_ray: list[str], tmp_path: Path) -> None:
    with server(GCS_SETTINGS) as port:
        result = runner.invoke(
            app,
            ["serve", "--port", free_port(), "--data-dir", str(tmp_path / "data")],
            env={"RAY_ADDRESS": f"127.0.0.1:{port}"},
        )
    assert result.exit_code == 2, result.output
    assert said(result.output).startswith(f"error: RAY_ADDRESS=127.0.0.1:{port} needs Ray, which cannot be")
    assert said(result.output).endswith("or unset RAY_ADDRESS to run workers here")
    assert not (tmp_path / "data").exists()  # nothing started, nothing made


def test_serve_with_the_ray_engine_says_ray_is_missing(no_ray: list[str], tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["serve", "--port", free_port(), "--data-dir", str(tmp_path / "data")],
        env={"REELGEN_ENGINE": "ray"},
    )
    assert result.exit_code == 2, result.output
    assert said(result.output) == (
        "error: REELGEN_ENGINE=ray needs Ray, which cannot be imported here (import of ray halted; None "
        "in sys.modules); install it with `pip install ray`, or set REELGEN_ENGINE=local to run workers "
        "without it"
    )

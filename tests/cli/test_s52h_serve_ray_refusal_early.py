"""`reelgen serve` with a Ray head that cannot be reached says so before it imports the app's modules
(seconds of imports), and Ray is imported only for the hosts Ray itself would dial elsewhere."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.jobs._ray_address import _dialled


@pytest.fixture
def ray_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hosts Ray's loopback look-up is asked about (a stand-in for Ray, which takes a second)."""
    asked: list[str] = []
    services = types.ModuleType("ray._private.services")
    services.resolve_ip_for_localhost = lambda host: asked.append(host) or host  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ray", types.ModuleType("ray"))
    monkeypatch.setitem(sys.modules, "ray._private", types.ModuleType("ray._private"))
    monkeypatch.setitem(sys.modules, "ray._private.services", services)
    return asked


def test_an_unreachable_head_is_refused_before_the_app_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ray_asked: list[str]
) -> None:
    monkeypatch.setitem(sys.modules, "reelgen.api.app", None)  # importing it now fails
    env = {"REELGEN_HOME": str(tmp_path / "home"), "RAY_ADDRESS": "127.0.0.1:1"}
    result = CliRunner().invoke(app, ["serve"], env=env)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "cannot reach the Ray cluster at RAY_ADDRESS=127.0.0.1:1 (" in said
    assert "start it there with `ray start --head --port 1`, or unset RAY_ADDRESS" in said
    assert ray_asked == ["127.0.0.1"]


def test_ray_is_asked_only_about_the_hosts_it_dials_elsewhere(ray_asked: list[str]) -> None:
    assert [_dialled(host) for host in ("10.0.0.5", "head", "127.0.0.2", "localhost", "::1")] == [
        "10.0.0.5",
        "head",
        "127.0.0.2",
        "localhost",
        "::1",
    ]
    assert ray_asked == ["localhost", "::1"]

"""Every spelling of a loopback address the socket takes counts as loopback for serve's key rule."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelgen.api.security import check_bind, is_loopback_host
from reelgen.cli import app
from tests.api.serving import free_port

_PLAIN: dict[Any, Any] = {"127.1": "127.0.0.1"}


@pytest.mark.parametrize(
    "host", ["127.1", "0x7f.1", "2130706433", "::ffff:127.0.0.1", "LOCALHOST", "localhost."]
)
def test_a_loopback_spelled_another_way_needs_no_key(host: str) -> None:
    # "binding 127.1 exposes the server beyond this machine; set REELGEN_API_KEY": it binds 127.0.0.1.
    assert is_loopback_host(host)
    check_bind(host, None)


@pytest.mark.parametrize("host", ["0", "0.0.0.0", "::", "10.0.0.1", "127.0.0.1 evil", "999.1", "myhost"])
def test_anything_else_still_needs_a_key(host: str) -> None:
    assert not is_loopback_host(host)
    with pytest.raises(ValueError, match="exposes the server beyond this machine"):
        check_bind(host, None)


def test_serve_on_127_1_goes_on_to_its_other_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests' guard resolves only loopback written plainly; the system's resolver reads 127.1 as
    # 127.0.0.1 (checked by hand: reelgen serve --host 127.1 listens there).
    guarded = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: guarded(_PLAIN.get(host, host), *a, **k))
    blocker = tmp_path / "data"
    blocker.write_text("a file, not a folder")  # stops the start right after the bind rule
    argv = ["serve", "--host", "127.1", "--port", str(free_port()), "--data-dir", str(blocker)]
    result = CliRunner().invoke(app, argv, env={"REELGEN_HOME": str(tmp_path / "home")})
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "exposes the server" not in said
    assert f"cannot use {blocker} for the server's data (a file is there, not a folder)" in said

"""`reelgen serve --host 0.0.0.0` says URLs a person can open, not ``http://0.0.0.0:8000``.

The banner printed the bind address as the page's URL: 0.0.0.0 (or ``[::]``) is where the server
listens, not an address to open, and from another machine it names that machine itself.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli import serve as serve_cli

KEY = "k" * 40


def _loopback_socket(host: str, port: int) -> socket.socket:
    """The server's socket on loopback: the test listens nowhere else, whatever --host says."""
    return socket.create_server(("127.0.0.1", 0))


@pytest.fixture
def started_then_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    def run_then_ctrl_c(self: uvicorn.Server, sockets: object = None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(uvicorn.Server, "run", run_then_ctrl_c)
    monkeypatch.setattr(serve_cli, "listening_socket", _loopback_socket)
    monkeypatch.setattr(socket, "gethostname", lambda: "gpubox")


def _banner(tmp_path: Path, host: str, **env: str) -> str:
    result = CliRunner().invoke(
        app,
        ["serve", "--host", host, "--port", "8123"],
        env={"REELGEN_HOME": str(tmp_path), "REELGEN_API_KEY": KEY, **env},
    )
    assert result.exit_code == 130, result.output
    return next(line for line in result.output.splitlines() if line.startswith("reelgen serving"))


@pytest.mark.timeout(60)
def test_every_address_is_said_as_urls_to_open(tmp_path: Path, started_then_stopped: None) -> None:
    line = _banner(tmp_path, "0.0.0.0")
    assert "0.0.0.0" not in line
    assert line == (
        "reelgen serving the web page at http://127.0.0.1:8123/, the API under http://127.0.0.1:8123/v1 "
        "(reference at http://127.0.0.1:8123/docs); it listens on every address of this machine, so "
        "from another one use its name or address, such as http://gpubox:8123/"
    )


@pytest.mark.timeout(60)
def test_ipv6_every_address_is_said_as_loopback(tmp_path: Path, started_then_stopped: None) -> None:
    line = _banner(tmp_path, "::")
    assert "[::]" not in line
    assert line.startswith(
        "reelgen serving the web page at http://[::1]:8123/, the API under http://[::1]:8123/v1"
    )


@pytest.mark.timeout(60)
def test_with_allowed_hosts_the_name_to_use_is_one_of_them(
    tmp_path: Path, started_then_stopped: None
) -> None:
    # The server answers only listed names (and loopback): the machine's own name would get a 400.
    line = _banner(tmp_path, "0.0.0.0", REELGEN_ALLOWED_HOSTS="videos.example,gpu.example")
    assert line.endswith(
        "it listens on every address of this machine, so from another one use a name in "
        "REELGEN_ALLOWED_HOSTS, such as http://videos.example:8123/"
    )
    assert "gpubox" not in line

"""Ctrl-C stopping `reelgen serve` ends it as SIGTERM does: exit 130, its last line what it left."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.jobs.store import JobStore
from tests.jobs.helpers import create


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.timeout(60)
def test_ctrl_c_is_a_stop_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # After its orderly shutdown uvicorn raises the SIGINT again; it reached the CLI's catch-all,
    # whose "error: stopped with Ctrl-C; nothing half-written was left" came after the line saying
    # which jobs stay queued: the README says that line is the last.
    data = tmp_path / "data"
    data.mkdir()
    store = JobStore(f"sqlite:///{data / 'jobs.db'}")
    try:
        create(store)
    finally:
        store.close()

    def run_then_ctrl_c(self: uvicorn.Server, sockets: object = None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(uvicorn.Server, "run", run_then_ctrl_c)
    result = CliRunner().invoke(
        app,
        ["serve", "--port", str(_free_port()), "--data-dir", str(data)],
        env={"REELGEN_HOME": str(tmp_path / "home")},
    )
    lines = result.output.strip().splitlines()
    assert lines[-1] == (
        "stopped with 1 job(s) not finished; they stay queued and run when the server starts again"
    ), result.output
    assert "error:" not in result.output
    assert result.exit_code == 130

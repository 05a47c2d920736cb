"""`reelgen serve` that cannot open its job database leaves no empty data folder behind."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.timeout(60)
def test_a_database_it_cannot_open_leaves_no_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "server" / "data"
    argv = ["serve", "--port", str(free_port()), "--data-dir", str(data), "--database-url", "nosuchdb://x"]
    result = runner.invoke(app, argv, env={"REELGEN_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2, result.output
    assert "cannot open the job database nosuchdb://x" in " ".join(result.output.split())
    assert not (tmp_path / "server").exists()  # nor the parent it had to make on the way


@pytest.mark.timeout(60)
def test_a_data_folder_that_was_there_before_is_kept(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    argv = ["serve", "--port", str(free_port()), "--data-dir", str(data), "--database-url", "nosuchdb://x"]
    result = runner.invoke(app, argv, env={"REELGEN_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2, result.output
    assert data.is_dir()

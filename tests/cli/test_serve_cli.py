"""`reelgen serve` refuses settings it cannot run with in one line, before it listens, never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli.serve import banner

runner = CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "Input should be less than or equal to 65535"),
        (["--log-level", "loud"], "--log-level 'loud' is not a level; valid: critical, error, warning, info"),
        (["--database-url", "nosuchdb://x"], "cannot open the job database nosuchdb://x (Can't load plugin"),
        (["--database-url", "sqlite:///{tmp}/notes.txt/jobs.db"], "cannot use {tmp}/notes.txt"),
        (["--data-dir", "{tmp}/notes.txt/data"], "cannot use {tmp}/notes.txt"),
    ],
)
def test_a_setting_serve_cannot_use_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("REELGEN_HOME", str(tmp_path / "home"))
    (tmp_path / "notes.txt").write_text("a file where a folder should be\n")
    argv = ["serve", "--port", str(free_port()), *(a.format(tmp=tmp_path) for a in args)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert message.format(tmp=tmp_path) in " ".join(result.output.split())
    assert "Traceback" not in result.output and not isinstance(result.exception, (KeyError, OSError))
    assert "reelgen serving" not in result.output


def test_the_banner_says_where_the_page_and_the_api_are() -> None:
    assert banner("127.0.0.1", 8000, web=True) == (
        "reelgen serving the web page at http://127.0.0.1:8000/, the API under http://127.0.0.1:8000/v1 "
        "(reference at http://127.0.0.1:8000/docs)"
    )
    assert banner("::1", 9000, web=False) == (
        "reelgen serving the API under http://[::1]:9000/v1 (reference at http://[::1]:9000/docs)"
    )

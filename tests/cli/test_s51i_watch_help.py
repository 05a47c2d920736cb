"""`reelgen watch --help` says how long a server that stops answering is waited for."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli.client import RECONNECT_WINDOW_S


def test_watch_help_says_how_long_it_waits_for_the_server() -> None:
    # It said "A server restart is ridden out", which read as waiting for as long as it takes.
    result = CliRunner().invoke(app, ["watch", "--help"], env={"COLUMNS": "80"})
    said = " ".join(result.output.split())
    assert result.exit_code == 0
    assert f"It waits up to {RECONNECT_WINDOW_S:g} s for a server to come back" in said
    assert "ridden out" not in said

"""``reelgen serve --api-key KEY`` warns that the key is shown to every account; the variable does not."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another program listens on: serve stops there, after its settings are read."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


def _serve(tmp_path: Path, args: list[str], env: dict[str, str]) -> str:
    result = runner.invoke(app, ["serve", *args], env={"REELGEN_HOME": str(tmp_path), **env})
    assert result.exit_code == 2, result.output  # the port is taken: nothing starts
    return " ".join(result.output.split())


def test_a_key_typed_on_the_command_line_is_warned_about(tmp_path: Path, taken_port: int) -> None:
    # A server runs for days, and `ps` shows its command line, key and all, to every account.
    said = _serve(tmp_path, ["--port", str(taken_port), "--api-key", "s3cret-key"], {})
    assert "warning: --api-key on the command line is shown to every account on this machine (ps)" in said
    assert "set REELGEN_API_KEY in its environment instead" in said
    assert "s3cret-key" not in said


def test_a_key_from_the_variable_is_not_warned_about(tmp_path: Path, taken_port: int) -> None:
    said = _serve(tmp_path, ["--port", str(taken_port)], {"REELGEN_API_KEY": "s3cret-key"})
    assert "warning" not in said and "cannot listen" in said

"""`reelgen models|pull|info --server URL` says the command is about this machine and where a server
answers the same; it said only "No such option: --server"."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["models", "--server", "http://127.0.0.1:8000"],
            "error: reelgen models lists the models of this machine and takes no --server; a server's models, "
            "with whether their weights are there, are at URL/v1/models (see 'reelgen models --help')",
        ),
        (
            ["pull", "ltx-2b", "--api-key", "k"],
            "error: reelgen pull downloads onto this machine and takes no --api-key; run it on the machine the "
            "server runs on (a server never downloads); URL/v1/models says what it lacks "
            "(see 'reelgen pull --help')",
        ),
        (
            ["info", "--server", "http://127.0.0.1:8000"],
            "error: reelgen info describes this machine and takes no --server; a server's workers, GPUs and "
            "queue are at URL/v1/system (see 'reelgen info --help')",
        ),
    ],
)
def test_a_server_option_on_a_machine_command_says_where_a_server_answers(argv: list[str], said: str) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == said and result.stdout == ""

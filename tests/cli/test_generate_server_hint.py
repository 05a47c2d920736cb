"""`reelgen generate --server URL` points to `reelgen submit`, which queues the video on a server."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["generate", "--server", "http://127.0.0.1:8000", "-m", "ltx-tiny", "a fox"],
            "error: reelgen generate makes the video here, on this machine, and takes no --server; to queue it "
            'on a running `reelgen serve`, use reelgen submit "PROMPT" --server URL instead '
            "(see 'reelgen generate --help')",
        ),
        (
            ["animate", "--api-key", "k", "face.png"],
            "error: reelgen animate makes the video here, on this machine, and takes no --api-key; to queue it "
            'on a running `reelgen serve`, use reelgen submit "PROMPT" --image FILE --server URL instead '
            "(see 'reelgen animate --help')",
        ),
    ],
)
def test_a_server_option_on_a_local_command_names_submit(argv: list[str], said: str) -> None:
    # It read "No such option: --server (Possible options: --device, --seed)".
    result = CliRunner().invoke(app, argv)
    assert " ".join(result.output.split()) == said
    assert result.exit_code == 2


def test_any_other_unknown_option_is_said_as_before() -> None:
    result = CliRunner().invoke(app, ["generate", "--sever", "x", "a fox"])
    assert "No such option: --sever" in result.output and "submit" not in result.output

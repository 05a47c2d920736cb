"""`reelgen worker --help` says where a Ray head's token goes, as reelgen reads it."""

from __future__ import annotations

from typer.testing import CliRunner

from reelgen.cli import app


def test_the_worker_help_says_where_the_heads_token_goes() -> None:
    # A head with token authentication refused a worker without its token; the help said nothing.
    result = CliRunner().invoke(app, ["worker", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.output.splitlines()]
    told = [
        " A head with token authentication needs its token on this machine: put",
        " what `ray get-auth-token` prints on the head in ~/.ray/auth_token here,",
        " or in RAY_AUTH_TOKEN (or in a file named by RAY_AUTH_TOKEN_PATH).",
    ]
    start = lines.index(told[0])
    assert lines[start : start + 3] == told
    assert max(len(line) for line in lines if "─" not in line and "│" not in line) <= 76

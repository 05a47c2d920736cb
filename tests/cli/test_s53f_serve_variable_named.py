"""A bad ``reelgen serve`` setting given only through its variable is named by that variable, not the option."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.api.serving import free_port

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize(
    ("env", "argv", "named", "not_named"),
    [
        # A unit file's REELGEN_API_KEY with a trailing blank was said as "--api-key (REELGEN_API_KEY)".
        ({"REELGEN_API_KEY": "secret "}, [], "error: REELGEN_API_KEY: must be printable ASCII", "--api-key"),
        ({"REELGEN_HOST": " "}, [], "error: REELGEN_HOST=' ': give an address to listen on", "--host"),
        # Typed, the option is named as before (with the variable that also fills it).
        ({}, ["--api-key", "secret "], "error: --api-key (REELGEN_API_KEY): must be printable", None),
    ],
)
def test_the_setting_named_is_the_one_set(
    tmp_path: Path, env: dict[str, str], argv: list[str], named: str, not_named: str | None
) -> None:
    env = {"REELGEN_HOME": str(tmp_path), **env}
    result = runner.invoke(app, ["serve", "--port", str(free_port()), *argv], env=env)
    assert result.exit_code == 2, result.output
    assert named in said(result.output)
    assert not_named is None or not_named not in said(result.output)
    assert "secret" not in result.output  # a key is never shown

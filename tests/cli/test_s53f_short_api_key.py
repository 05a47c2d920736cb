"""reelgen serve beyond loopback with a key short enough to guess says so at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.api.security import short_key
from reelgen.cli import app

runner = CliRunner()


def test_a_short_key_beyond_loopback_is_warned_of() -> None:
    said = short_key("0.0.0.0", "secret")
    assert said is not None
    assert "the API key is 6 characters long, short enough for anyone who can reach 0.0.0.0 to guess" in said
    assert "openssl rand -hex 24" in said and "secret" not in said.replace("secrets", "")


@pytest.mark.parametrize(("host", "key"), [("0.0.0.0", "k" * 16), ("127.0.0.1", "a"), ("::", None)])
def test_a_long_key_a_loopback_server_or_no_key_says_nothing(host: str, key: str | None) -> None:
    assert short_key(host, key) is None


def test_serve_prints_the_warning_before_it_starts(tmp_path: Path) -> None:
    # Stopped right after by a data folder that is a file: the warning comes before that check.
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    env = {"REELGEN_HOME": str(tmp_path / "home"), "REELGEN_API_KEY": "hunter2"}
    result = runner.invoke(
        app, ["serve", "--host", "0.0.0.0", "--port", "1", "--data-dir", str(blocker)], env=env
    )
    said = " ".join(result.output.split())
    assert "warning: the API key is 7 characters long" in said, said
    assert "hunter2" not in said

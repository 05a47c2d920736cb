"""A --database-url that cannot be read is said without its password, as one that can be read is."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.api.serving import free_port

runner = CliRunner()


@pytest.mark.parametrize(
    ("url", "said"),
    [
        # "--database-url (REELGEN_DATABASE_URL) 'postgresql://u:hunter2@host:abc/db': invalid literal
        # for int() with base 10: 'abc'": the password on the terminal, and Python's words for the port.
        (
            "postgresql://u:hunter2@host:abc/db",
            "error: --database-url (REELGEN_DATABASE_URL) 'postgresql://u:***@host:abc/db': its port is not "
            "a number; give a URL like postgresql://user@host:5432/db",
        ),
        # No scheme: SQLAlchemy cannot read it, and it was said whole.
        ("u:hunter2@127.0.0.1/db", "error: cannot open the job database u:***@127.0.0.1/db (Could not parse"),
    ],
)
def test_the_password_of_a_url_that_cannot_be_read_is_hidden(tmp_path: Path, url: str, said: str) -> None:
    env = {"REELGEN_HOME": str(tmp_path / "home")}
    argv = ["serve", "--port", str(free_port()), "--data-dir", str(tmp_path / "data"), "--database-url", url]
    result = runner.invoke(app, argv, env=env)
    assert result.exit_code == 2, result.output
    assert said in " ".join(result.output.split())
    assert "hunter2" not in result.output

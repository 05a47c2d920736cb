"""`reelgen serve` names a REELGEN_* variable it never reads (a typo'd setting), with the name meant."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from reelgen.api.setting_names import unread_settings
from reelgen.cli import app

runner = CliRunner()


def test_a_misspelled_setting_is_named_with_the_one_meant() -> None:
    # REELGEN_MAX_QUEU=5 started the server with the default limit of 1000 and said nothing.
    lines = unread_settings(
        {
            "REELGEN_MAX_QUEU": "5",
            "REELGEN_RETENTON_DAYS": "1",
            "REELGEN_FOO": "1",
            "REELGEN_MAX_QUEUE": "5",  # read: no line
            "reelgen_lease_s": "10",  # read too: the settings take any case
            "REELGEN_HOME": "/x",  # read with os.environ, not a settings field
            "REELGEN_SERVER": "http://h",  # read by the job commands
            "HOME": "/root",
        }
    )
    assert lines == [
        "REELGEN_FOO is not a reelgen setting, so it changes nothing; `reelgen serve --settings` lists them",
        "REELGEN_MAX_QUEU is not a reelgen setting, so it changes nothing; did you mean REELGEN_MAX_QUEUE?",
        "REELGEN_RETENTON_DAYS is not a reelgen setting, so it changes nothing; "
        "did you mean REELGEN_RETENTION_DAYS?",
    ]


def test_serve_warns_of_it_before_it_listens(tmp_path: Path) -> None:
    # A port already taken stops the start right after the settings are read: no server runs.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(
            app,
            ["serve", "--port", str(port)],
            env={"REELGEN_HOME": str(tmp_path / "home"), "REELGEN_MAX_QUEU": "5"},
        )
    output = " ".join(result.output.split())
    assert (
        "warning: REELGEN_MAX_QUEU is not a reelgen setting, so it changes nothing; did you mean " in output
    )
    assert "REELGEN_MAX_QUEUE?" in output
    assert "Address already in use" in output and result.exit_code == 2

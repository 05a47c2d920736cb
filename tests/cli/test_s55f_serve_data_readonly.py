"""`reelgen serve` on a data folder it cannot write to, or whose jobs.db cannot be made, says so.

Both were said as "cannot open the job database: DIR/jobs.db in the data folder is not a job
database (unable to open database file); move it away", naming a file that was not there.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app, serve_data
from reelgen.jobs.settings import JobSettings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_a_jobs_db_that_cannot_be_made_is_said_as_such(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "jobs.db").symlink_to(tmp_path / "gone" / "jobs.db")  # where no file can be made
    result = CliRunner().invoke(
        app,
        ["serve", "--port", str(_free_port()), "--data-dir", str(data)],
        env={"REELGEN_HOME": str(tmp_path)},
    )
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert said == (
        f"error: cannot make the job database {data / 'jobs.db'} (unable to open database file); "
        "give --data-dir another folder"
    )
    assert "not a job database" not in said and "move it away" not in said


def test_a_data_folder_that_cannot_be_written_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only mount: checked by hand with one (root writes anywhere else, so the test asks os.access).
    monkeypatch.setattr(serve_data.os, "access", lambda path, mode: False)
    jobs = JobSettings(data_dir=str(tmp_path))
    said = serve_data.no_database(
        jobs, sqlite3.OperationalError("unable to open database file"), "--data-dir"
    )
    assert said == (
        f"cannot open the job database {tmp_path / 'jobs.db'}: the data folder {tmp_path} cannot be "
        "written to (unable to open database file); give --data-dir a folder you can write to"
    )

"""A data folder whose ``jobs.db`` is not a job database names that file and --data-dir, not --database-url."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda db: db.write_text("notes, not SQLite"), "is not a job database (file is not a database)"),
        (lambda db: db.mkdir(), "is a folder, not a SQLite file"),
    ],
)
def test_a_bad_jobs_db_in_the_data_folder_names_data_dir(tmp_path: Path, make: object, what: str) -> None:
    # It said "(file is not a database); check --database-url or REELGEN_DATABASE_URL", an option
    # nobody had given.
    data = tmp_path / "data"
    data.mkdir()
    make(data / "jobs.db")  # type: ignore[operator]
    result = CliRunner().invoke(
        app,
        ["serve", "--port", str(_free_port()), "--data-dir", str(data)],
        env={"REELGEN_HOME": str(tmp_path)},
    )
    said = " ".join(result.output.split())
    assert said == (
        f"error: cannot open the job database: {data / 'jobs.db'} in the data folder {what}; move it "
        "away, or give --data-dir another folder"
    )
    assert result.exit_code == 2
    assert sorted(p.name for p in data.iterdir()) == ["jobs.db"]  # nothing else left behind

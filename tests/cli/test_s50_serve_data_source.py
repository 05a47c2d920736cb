"""A data folder ``reelgen serve`` cannot use is blamed on the setting the person set, not a list."""

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


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("env", "args", "give"),
    [
        # It said "give --data-dir (or REELGEN_HOME)" to a person who had set REELGEN_DATA_DIR.
        ({"REELGEN_DATA_DIR": "{file}/data"}, [], "give REELGEN_DATA_DIR a folder you can write to"),
        ({}, ["--data-dir", "{file}/data"], "give --data-dir a folder you can write to"),
        (
            {"REELGEN_HOME": "{file}"},
            [],
            "give REELGEN_HOME (or --data-dir) a folder you can write to",
        ),
        (  # the platform's folder, set by nothing of reelgen's
            {"XDG_DATA_HOME": "{file}"},
            [],
            "give --data-dir (or REELGEN_DATA_DIR) a folder you can write to",
        ),
    ],
)
def test_an_unusable_data_folder_names_what_chose_it(
    tmp_path: Path, env: dict[str, str], args: list[str], give: str
) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("a file where a folder should be\n")
    given = {
        "REELGEN_HOME": None,
        "REELGEN_DATA_DIR": None,
        **{k: v.format(file=file) for k, v in env.items()},
    }
    argv = ["serve", "--port", str(_free_port()), *(a.format(file=file) for a in args)]
    result = CliRunner().invoke(app, argv, env=given)
    said = " ".join(result.output.split())
    assert said.startswith(
        f"error: cannot use {file} for the server's data (a file is there, not a folder); "
    )
    assert said.endswith(give), said
    assert result.exit_code == 2


@pytest.mark.timeout(60)
def test_a_bad_jobs_db_names_the_variable_that_chose_its_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "jobs.db").write_text("notes, not SQLite")
    result = CliRunner().invoke(
        app, ["serve", "--port", str(_free_port())], env={"REELGEN_HOME": None, "REELGEN_DATA_DIR": str(data)}
    )
    said = " ".join(result.output.split())
    assert said.endswith("move it away, or give REELGEN_DATA_DIR another folder"), said
    assert result.exit_code == 2

"""An id from another server (or a teammate's, made on their machine) given to status/cancel/watch/delete/download
was told only "no video 'ID'", as if mistyped; the words now name the server asked, and how to ask another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.cli.in_process import SERVER, in_process
from tests.cli.in_process import run as _run

UNKNOWN = "video_" + "0" * 32


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with in_process(tmp_path, monkeypatch) as client:
        yield client


@pytest.mark.parametrize("command", ["status", "cancel", "watch", "delete", "download"])
def test_an_unknown_id_names_the_server_asked(app: TestClient, command: str) -> None:
    out = _run(command, UNKNOWN)
    assert out.exit_code == 2, out.output
    said = " ".join(out.stderr.split())
    assert f"no video {UNKNOWN!r} on {SERVER}" in said, said
    assert "one made on another server is found with --server URL" in said

"""A quiet reelgen server in this process that the job commands (`--server`) reach: no workers, so jobs stay queued."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.jobs.settings import JobSettings

SERVER = "http://testserver"


@contextmanager
def in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The server's test client, also handed to every command that asks for a client to SERVER."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False), base_url=SERVER) as client:

        class Kept:  # the commands close their client after each request; this app stays up
            def __enter__(self) -> TestClient:
                return client

            def __exit__(self, *exc: object) -> None:
                pass

        monkeypatch.setattr(client_cli, "_client", lambda *a, **k: Kept())
        yield client


def run(*args: str) -> Result:
    """``reelgen ARGS --server SERVER``, with no API key from this machine's environment."""
    return CliRunner().invoke(cli_app, [*args, "--server", SERVER], env={"REELGEN_API_KEY": None})

"""A completed video whose files retention removed is said so by ``status`` and ``list``, before a download."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from tests.jobs.helpers import create, request

SERVER = "http://testserver"


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[JobService]:
    """A quiet app (no workers) that the job commands reach in-process."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False), base_url=SERVER) as app:

        class Kept:  # the commands close their client after each request; this app stays up
            def __enter__(self) -> TestClient:
                return app

            def __exit__(self, *exc: object) -> None:
                pass

        def client(server: str, api_key: str | None, timeout: object = None) -> Kept:
            return Kept()

        monkeypatch.setattr(client_cli, "_client", client)
        yield app.app.state.service  # type: ignore[attr-defined]


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli_app, [*args, "--server", SERVER], env={"REELGEN_API_KEY": None})


def test_a_video_past_retention_is_said_to_have_no_files_left(service: JobService) -> None:
    store = service.store
    kept, removed = (create(store, request(model="ltx-tiny", num_frames=9)) for _ in range(2))
    for job in (kept, removed):
        claimed = store.claim_next("w", job_id=job.id)
        assert claimed is not None
        store.complete(job.id, claimed.token, {"files": {}})
    store.mark_data_removed(removed.id)

    status = _run("status", removed.id)
    assert status.exit_code == 0, status.output
    assert "completed" in status.stdout and "files removed (retention)" in status.stdout
    listed = {line.split()[0]: line for line in _run("list").stdout.splitlines()}
    assert "files removed" in listed[removed.id] and "files removed" not in listed[kept.id]


def test_the_next_page_hint_keeps_the_server_typed(service: JobService) -> None:
    # Run as shown, "reelgen list --limit 1 --after ID" listed the default server's jobs instead.
    for _ in range(2):
        create(service.store, request(model="ltx-tiny", num_frames=9))
    listed = _run("list", "--limit", "1")
    assert listed.exit_code == 0, listed.output
    hint = next(line for line in listed.output.splitlines() if line.startswith("more: "))
    assert hint.endswith(f" --server {SERVER}") and "--limit 1 --after video_" in hint

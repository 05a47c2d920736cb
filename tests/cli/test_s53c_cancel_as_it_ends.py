"""``reelgen cancel`` of a job that completes between its look at the job and its cancel: the server answers
the job unchanged, and the command printed only the completed line, no word that nothing was cancelled
(exit 0, as if the cancel had done something); it now says the job ended before the cancel reached it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings

SERVER = "http://testserver"
CLIP = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 8


@pytest.fixture
def app(tmp_path: Path) -> Iterator[TestClient]:
    """A quiet server (no workers): its jobs move only as a test moves them."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False), base_url=SERVER) as client:
        yield client


def _running(app: TestClient) -> tuple[str, str]:
    """A job a worker has claimed, and its attempt's token."""
    video_id = app.post("/v1/videos", json={"model": "cogvideox-tiny", "prompt": "a red fox"}).json()["id"]
    service: JobService = app.app.state.service  # type: ignore[attr-defined]
    claimed = service.store.claim_next("worker-test", job_id=video_id)
    assert claimed is not None and claimed.token is not None
    return str(video_id), claimed.token


def _reach(app: TestClient, monkeypatch: pytest.MonkeyPatch, before_cancel: Any) -> None:
    """The commands reach ``app``; ``before_cancel()`` runs as a cancel request is sent."""

    class Kept:
        def __enter__(self) -> Kept:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
            if path.endswith("/cancel"):
                before_cancel()
            return app.request(method, path, **kwargs)

    monkeypatch.setattr(client_cli, "_client", lambda *a, **k: Kept())


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli_app, [*args, "--server", SERVER], env={"REELGEN_API_KEY": None})


def test_a_job_that_completes_as_it_is_cancelled_is_said_to_have_ended_untouched(
    app: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    video_id, token = _running(app)
    service: JobService = app.app.state.service  # type: ignore[attr-defined]

    def finish() -> None:  # the worker's last step lands between the command's look and its cancel
        files = service.artifacts.save(video_id, token, {"video": CLIP})
        service.store.complete(video_id, token, {"files": files})

    _reach(app, monkeypatch, finish)
    out = _run("cancel", video_id)
    assert out.exit_code == 0, out.output
    assert out.stdout.split()[:2] == [video_id, "completed"]
    said = " ".join(out.stderr.split())
    assert said == f"{video_id} completed before the cancel reached it; nothing to cancel"
    assert app.get(f"/v1/videos/{video_id}").json()["status"] == "completed"


def test_a_running_job_is_still_told_it_stops_at_its_next_step(
    app: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    video_id, _ = _running(app)
    _reach(app, monkeypatch, lambda: None)
    out = _run("cancel", video_id)
    assert out.exit_code == 0, out.output
    assert out.stdout.split()[:2] == [video_id, "in_progress"]
    assert " ".join(out.stderr.split()) == "cancel requested; it stops at its next step"

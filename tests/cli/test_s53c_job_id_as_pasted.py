"""A job id with its line's end (read from a file saved on Windows), a space copied with it, or typed in
capitals was "no video 'video_... '" (exit 2): no id holds either, so the commands now take the job meant."""

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
from reelgen.jobs.settings import JobSettings

SERVER = "http://testserver"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A quiet server (no workers: jobs stay queued) that the job commands reach in-process."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False), base_url=SERVER) as client:

        class Kept:  # the commands close their client after each request; this app stays up
            def __enter__(self) -> TestClient:
                return client

            def __exit__(self, *exc: object) -> None:
                pass

        monkeypatch.setattr(client_cli, "_client", lambda *a, **k: Kept())
        yield client


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli_app, [*args, "--server", SERVER], env={"REELGEN_API_KEY": None})


def _queued(app: TestClient) -> str:
    resp = app.post("/v1/videos", json={"model": "cogvideox-tiny", "prompt": "a red fox"})
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


@pytest.mark.parametrize("pasted", ["{id}\r", " {id} ", "{id}\n", "{ID}"])
def test_an_id_with_a_line_end_space_or_capitals_names_its_job(app: TestClient, pasted: str) -> None:
    video_id = _queued(app)
    typed = pasted.format(id=video_id, ID=video_id.upper())
    out = _run("status", typed)
    assert out.exit_code == 0, out.output
    assert out.stdout.split()[:2] == [video_id, "queued"]
    newer = _queued(app)  # listed first, newest first: the page after it holds the other
    listed = _run("list", "--after", pasted.format(id=newer, ID=newer.upper()))
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.split()[0] == video_id


def test_an_id_of_no_job_form_is_still_sent_as_typed(app: TestClient) -> None:
    out = _run("status", "video_12 ")
    assert out.exit_code == 2
    assert "no video 'video_12 '" in " ".join(out.stderr.split())

"""``reelgen list --after ID`` past the last page said "no video jobs" (or "no video jobs match") of a server
that has them, as if they had all been deleted; it now says the list ends after that id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.cli.in_process import in_process
from tests.cli.in_process import run as _run


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A quiet server (no workers: jobs stay queued) that the job commands reach in-process."""
    with in_process(tmp_path, monkeypatch) as client:
        yield client


def _queued(app: TestClient, prompt: str) -> str:
    resp = app.post("/v1/videos", json={"model": "cogvideox-tiny", "prompt": prompt})
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


def test_the_page_after_the_last_says_the_list_ended_not_that_there_are_no_jobs(app: TestClient) -> None:
    oldest = _queued(app, "a red fox")
    newest = _queued(app, "a grey wolf")
    first = _run("list", "--limit", "1")
    assert first.exit_code == 0, first.output
    assert first.stdout.split()[0] == newest
    assert f"--after {newest}" in first.stderr
    last = _run("list", "--limit", "1", "--after", newest)
    assert last.stdout.split()[0] == oldest
    past = _run("list", "--after", oldest)
    assert past.exit_code == 0, past.output
    assert past.stdout == ""
    assert " ".join(past.stderr.split()) == f"no more video jobs after {oldest}: the list ends there"
    filtered = _run("list", "--status", "queued", "--after", oldest)
    assert " ".join(filtered.stderr.split()) == (
        f"no more matching video jobs after {oldest}: the list ends there"
    )


def test_a_server_with_no_jobs_still_says_there_are_none(app: TestClient) -> None:
    out = _run("list")
    assert out.exit_code == 0, out.output
    assert out.stderr.strip() == "no video jobs"
    assert _run("list", "--status", "failed").stderr.strip() == "no video jobs match"

"""A job id with its line's end (read from a file saved on Windows), a space copied with it, or typed in
capitals was "no video 'video_... '" (exit 2): no id holds either, so the commands now take the job meant."""

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

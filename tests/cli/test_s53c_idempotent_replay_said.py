"""``reelgen submit`` (or ``remix``) sent again with the same ``--idempotency-key`` printed the earlier job's
line as if it had just been queued (exit 0, its status perhaps long "completed"); it now says the job was
queued by an earlier request with that key and nothing new was queued. A first send says nothing of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import Result

from tests.cli.in_process import in_process
from tests.cli.in_process import run as _run

REPLAYED = "was queued by an earlier request with this --idempotency-key; nothing new was queued"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A quiet server (no workers: jobs stay queued) that the job commands reach in-process."""
    with in_process(tmp_path, monkeypatch) as client:
        yield client


def _said(out: Result) -> str:
    return " ".join(out.stderr.split())


def test_a_submit_sent_again_with_its_key_says_nothing_new_was_queued(app: TestClient) -> None:
    submit = ("submit", "a red fox", "--model", "cogvideox-tiny", "--idempotency-key", "fox-1")
    first = _run(*submit)
    assert first.exit_code == 0, first.output
    video_id = first.stdout.split()[0]
    assert REPLAYED not in _said(first)
    again = _run(*submit)
    assert again.exit_code == 0, again.output
    assert again.stdout.split()[0] == video_id
    assert f"{video_id} {REPLAYED}" in _said(again)
    assert len(app.get("/v1/videos").json()["data"]) == 1


def test_a_remix_sent_again_with_its_key_says_so_too(app: TestClient) -> None:
    parent = app.post("/v1/videos", json={"model": "cogvideox-tiny", "prompt": "a red fox"}).json()["id"]
    remix = ("remix", parent, "the fox at dawn", "--idempotency-key", "dawn-1")
    first = _run(*remix)
    assert first.exit_code == 0 and REPLAYED not in _said(first), first.output
    again = _run(*remix, "--json")
    assert again.exit_code == 0, again.output
    assert f"{first.stdout.split()[0]} {REPLAYED}" in _said(again)

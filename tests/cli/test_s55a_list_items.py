"""``reelgen list`` and ``status`` mark a shoot-out's item job as its item (it read as a video made on its own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.test_s55a_video_parent import shootout_with_item
from tests.cli.in_process import in_process
from tests.cli.in_process import run as _run


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    with in_process(tmp_path, monkeypatch) as client:
        yield client


def test_list_and_status_say_whose_item_it_is(app: TestClient, tmp_path: Path) -> None:
    shootout, item = shootout_with_item(app, tmp_path / "report")
    alone = app.post("/v1/videos", json={"prompt": "a fox", "model": "reelgen-micro"}).json()["id"]
    out = _run("list")
    assert out.exit_code == 0, out.output
    lines = {line.split()[0]: line for line in out.stdout.splitlines()}
    assert lines[item].endswith(f"  item of shoot-out {shootout}")
    assert "item of" not in lines[alone]
    status = _run("status", item)
    assert status.exit_code == 0, status.output
    assert status.stdout.rstrip().endswith(f"item of shoot-out {shootout}")

"""``reelgen download BATCH_ID`` says which command lists its item jobs (``reelgen list --parent ID``),
not "the job_id GET /v1/batches/ID/items lists", a route a CLI user cannot call."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.cli.in_process import in_process
from tests.cli.in_process import run as _run
from tests.jobs.batch_cases import DEFAULTS, make_shots


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    with in_process(tmp_path, monkeypatch) as client:
        yield client


def test_download_of_a_batch_id_names_the_list_command_for_its_items(app: TestClient, tmp_path: Path) -> None:
    shots = make_shots(tmp_path / "shots")
    item = {"output": "pan", "model": "ken-burns", "images": ["coffee.png"], "motion": {"preset": "pan-left"}}
    body = {"manifest": {"defaults": DEFAULTS, "items": [item]}, "input_folder": str(shots)}
    batch = app.post("/v1/batches", json=body).json()["id"]
    out = _run("download", batch)
    assert out.exit_code == 2, out.output
    words = " ".join(out.stderr.split())
    assert f"`reelgen list --parent {batch} --server http://testserver` lists its item jobs" in words, words
    assert "items lists" not in words

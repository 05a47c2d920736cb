"""``POST /v1/batches`` with an item named ``x.gif``: refused when submitted (400 naming the item and field),
not queued to fail at run time with "a batch on a server makes MP4 files"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.jobs.batch_cases import DEFAULTS, make_shots


def test_a_gif_output_is_a_400_naming_the_item_and_no_batch_is_queued(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    shots = make_shots(tmp_path / "shots")
    items = [
        {"output": "pan", "model": "ken-burns", "images": ["coffee.png"], "motion": {"preset": "pan-left"}},
        {"output": "x.gif", "model": "ken-burns", "images": ["coffee.png"], "motion": {"preset": "zoom-in"}},
    ]
    client = make_client()
    body = {"manifest": {"defaults": DEFAULTS, "items": items}, "input_folder": str(shots)}
    resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "manifest.items[1].output"
    assert error["message"].startswith(
        "manifest.items[1].output 'x.gif': a batch on a server makes MP4 files"
    )
    assert "name it without .gif (e.g. x or x.mp4)" in error["message"]
    assert client.get("/v1/batches").json()["data"] == []
    assert not (shots / "outputs").exists()

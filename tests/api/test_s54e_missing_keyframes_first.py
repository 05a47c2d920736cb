"""``POST /v1/batches`` refuses a manifest naming a keyframe that is not on the server, before queuing anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image


def test_a_missing_keyframe_is_a_400_naming_the_item_and_nothing_is_queued(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    Image.new("RGB", (16, 16)).save(tmp_path / "a.png")  # a real image: only b.png is missing
    manifest = {
        "defaults": {"model": "ken-burns", "motion": {"preset": "zoom-in"}},
        "items": [{"output": "a", "images": ["a.png"]}, {"output": "b", "images": ["b.png"]}],
    }
    client = make_client()
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(tmp_path)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "manifest.items[1].images[0]"
    assert error["message"].startswith(f"manifest.items[1].images[0]: b.png does not exist in {tmp_path}")
    assert client.get("/v1/batches").json()["data"] == []
    assert not (tmp_path / "outputs").exists()  # no folder made for a batch refused

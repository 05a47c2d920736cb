"""``POST /v1/batches`` refuses a batch whose outputs would replace one of its keyframes, before queuing it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


def test_an_output_over_a_keyframe_is_a_400_naming_the_image_and_nothing_is_queued(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "g.json").write_text("{}")  # a keyframe by name only: the refusal comes before any is read
    manifest = {
        "defaults": {"model": "ken-burns", "output_dir": ".", "motion": {"preset": "zoom-in"}},
        "items": [{"output": "g", "images": ["b.png"]}, {"output": "b", "images": ["g.json"]}],
    }
    client = make_client()
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(tmp_path)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "manifest.items[1].images[0]"
    assert "g.json would be replaced by the g.json items[0] makes" in error["message"]
    assert client.get("/v1/batches").json()["data"] == []
    assert (tmp_path / "g.json").read_text() == "{}"

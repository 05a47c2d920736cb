"""``POST /v1/batches`` with an item whose model is a talking-avatar one (musetalk) is a 400 naming the item's
model field, not a 202 whose item fails once run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


def test_post_batches_refuses_an_avatar_item_model_with_a_400(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    items = [
        {"output": "a", "prompt": "x", "model": "ltx-tiny"},
        {"output": "b", "prompt": "y", "model": "musetalk"},
    ]
    client = make_client()
    resp = client.post("/v1/batches", json={"manifest": {"items": items}, "input_folder": str(tmp_path)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "manifest.items[1].model"
    assert error["message"].startswith("manifest.items[1].model: musetalk makes talking avatars"), error
    assert "which a batch does not give" in error["message"]
    assert client.get("/v1/batches").json()["data"] == []
    assert not (tmp_path / "outputs").exists()

"""``POST /v1/batches`` refuses a prompt template naming an unknown ``{placeholder}`` before queuing anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.cli.test_s54e_prompt_checked_first import _shots


def test_a_server_refuses_the_unknown_placeholder_with_a_400_and_queues_nothing(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    manifest = _shots(
        tmp_path / "shots",
        [
            {"output": "fine", "images": ["coffee.png"]},
            {"output": "typo", "images": ["coffee.png"], "prompt": "{moood}"},
        ],
    )
    client = make_client()
    body = {"manifest": json.loads(manifest.read_text()), "input_folder": str(manifest.parent)}
    resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "manifest.items[1].prompt"
    assert error["message"].startswith("manifest.items[1].prompt: the prompt uses {moood}, which is not set")
    assert client.get("/v1/batches").json()["data"] == []

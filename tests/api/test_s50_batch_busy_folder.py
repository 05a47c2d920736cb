"""Two batches writing one output folder at once: the second is a 409 naming the first, until it ends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient


def _body(root: Path, out: str = "outputs") -> dict[str, Any]:
    manifest = {
        "defaults": {"model": "ltx-tiny", "prompt": "a fox"},
        "items": [{"output": "a"}, {"output": "b"}],
    }
    return {"manifest": manifest, "input_folder": str(root), "output_folder": str(root / out)}


def test_a_folder_a_running_batch_writes_in_is_refused_until_it_ends(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    first = client.post("/v1/batches", json=_body(tmp_path), headers={"Idempotency-Key": "k1"})
    assert first.status_code == 202, first.text
    first_id = first.json()["id"]
    again = client.post("/v1/batches", json=_body(tmp_path), headers={"Idempotency-Key": "k1"})
    assert again.status_code == 200 and again.json()["id"] == first_id  # a retry is still a replay

    # The same batch sent again (`reelgen batch --server` run after Ctrl-C left the first running)
    # made every item a second time, each batch writing over the other's clips and summary.
    second = client.post("/v1/batches", json=_body(tmp_path))
    assert second.status_code == 409, second.text
    error = second.json()["error"]
    assert error["param"] == "output_folder" and error["code"] == "folder_in_use"
    assert f"batch {first_id} is still writing its clips in {tmp_path / 'outputs'}" in error["message"]
    assert "give another folder, or wait for it to end (or cancel it)" in error["message"]
    assert len(client.get("/v1/batches").json()["data"]) == 1

    assert client.post("/v1/batches", json=_body(tmp_path, "elsewhere")).status_code == 202
    client.post(f"/v1/batches/{first_id}/cancel")
    assert client.post("/v1/batches", json=_body(tmp_path)).status_code == 202

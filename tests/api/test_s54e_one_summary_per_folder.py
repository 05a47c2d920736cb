"""``POST /v1/batches`` refuses a batch into a folder holding another batch's summary, before queuing it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image


def test_a_folder_with_another_batchs_summary_is_a_400_and_the_summary_is_kept(
    make_client: Callable[..., TestClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    earlier = {"outputs": [str(outputs / "a.mp4")], "failed": [{"output": "x", "reason": "r"}], "skipped": []}
    (outputs / "batch-summary.json").write_text(json.dumps(earlier))
    # A real image: the summary is what is refused (an image that is none is refused too, since ab62c11a).
    Image.new("RGB", (16, 16)).save(tmp_path / "b.png")
    manifest = {"defaults": {"model": "ken-burns"}, "items": [{"output": "b", "images": ["b.png"]}]}
    client = make_client()
    resp = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(tmp_path)})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "output_folder"
    assert error["message"].startswith(
        f"output_folder {outputs}: its batch-summary.json is another batch's (it lists a, x;"
    )
    assert client.get("/v1/batches").json()["data"] == []
    assert json.loads((outputs / "batch-summary.json").read_text()) == earlier

    # The same batch again (an item it lists) is not refused.
    manifest["items"].append({"output": "x", "images": ["b.png"]})
    again = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(tmp_path)})
    assert again.status_code == 202, again.text

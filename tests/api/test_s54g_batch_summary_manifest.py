"""POST /v1/batches into a folder whose summary another manifest file wrote (sharing an item name with this
one) was taken as the same batch: the new job would remake that clip over the other's. Now a 400."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.core.batch import run_batch
from tests.core.test_s54g_summary_manifest import _manifest, shots  # noqa: F401 (a fixture)


def _body(manifest: Path) -> dict[str, object]:
    spec = json.loads(manifest.read_text())
    return {"manifest": spec, "input_folder": str(manifest.parent), "name": manifest.name}


def test_another_manifest_file_is_refused_and_the_same_one_edited_is_not(
    client: TestClient,
    shots: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(shots))
    day = _manifest(shots / "day.json", [("shared", "coffee.png")])
    assert run_batch(day).done == 1
    night = _manifest(shots / "night.json", [("shared", "astronaut.png")])
    refused = client.post("/v1/batches", json=_body(night))
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["param"] == "output_folder"
    assert f"written by the manifest {day.resolve()}" in error["message"]
    _manifest(day, [("renamed", "astronaut.png")])  # edited: no item name in common now
    assert client.post("/v1/batches", json=_body(day)).status_code == 202

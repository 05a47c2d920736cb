"""The legacy status route serves videos only: a finished batch's status gave a video_url that was a 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


def test_a_batch_id_on_the_legacy_status_route_is_said_to_be_a_batch(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    (tmp_path / "shots").mkdir()
    manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"prompt": "a fox", "output": "fox"}]}
    made = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(tmp_path / "shots")})
    assert made.status_code == 202, made.text
    batch = made.json()["id"]
    resp = client.get(f"/api/video/status/{batch}")
    assert resp.status_code == 404, resp.text
    assert resp.json()["error"]["param"] == "job_id"
    assert (
        resp.json()["error"]["message"] == f"no video {batch!r}: it is a batch (GET /v1/batches), not a video"
    )


def test_a_video_id_still_gets_its_legacy_status(client: TestClient) -> None:
    made = client.post("/api/video/generate", json={"prompt": "a fox", "model": "wan-tiny", "num_frames": 9})
    assert made.status_code == 202, made.text
    resp = client.get(made.json()["status_url"].replace("http://testserver", ""))
    assert resp.status_code == 200 and resp.json()["status"] == "queued" and resp.json()["video_url"] is None

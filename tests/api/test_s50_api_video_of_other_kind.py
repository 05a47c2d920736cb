"""A batch's or shoot-out's id given to ``/v1/videos/{id}`` (every job id looks like a video's) is said to be
one, with where it is shown; it was "no video '<id>'", as if the id were mistyped or the job gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def _batch(client: TestClient, root: Path) -> str:
    (root / "shots").mkdir()
    manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"prompt": "a fox", "output": "fox"}]}
    batch = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(root / "shots")})
    assert batch.status_code == 202, batch.text
    return str(batch.json()["id"])


def test_a_batch_id_is_said_to_be_a_batch_on_every_video_route(client: TestClient, root: Path) -> None:
    batch = _batch(client, root)
    said = f"no video {batch!r}: it is a batch (GET /v1/batches), not a video"
    asked = [
        client.get(f"/v1/videos/{batch}"),
        client.post(f"/v1/videos/{batch}/cancel"),
        client.delete(f"/v1/videos/{batch}"),
        client.get(f"/v1/videos/{batch}/content"),
        client.get(f"/v1/videos/{batch}/events"),
        client.post(f"/v1/videos/{batch}/remix", json={"prompt": "a cat"}),
    ]
    for resp in asked:
        assert resp.status_code == 404, resp.text
        assert resp.json()["error"] == {
            "message": said,
            "type": "invalid_request_error",
            "param": "video_id",
            "code": "not_found",
            "job_url": f"/v1/batches/{batch}",  # where `reelgen cancel` (status, watch, delete) goes
        }
    # Nothing was done to it: the DELETE of /v1/videos left the batch where it was.
    assert client.get(f"/v1/batches/{batch}").status_code == 200


def test_a_shootout_id_is_said_to_be_one(client: TestClient, root: Path) -> None:
    body = {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(root / "report")}
    shootout = client.post("/v1/shootouts", json=body).json()["id"]
    error = client.get(f"/v1/videos/{shootout}").json()["error"]
    assert error["message"] == f"no video {shootout!r}: it is a shoot-out (GET /v1/shootouts), not a video"


def test_an_id_of_no_job_is_said_as_before(client: TestClient) -> None:
    gone = "video_" + "0" * 32
    assert client.get(f"/v1/videos/{gone}").json()["error"]["message"] == f"no video {gone!r}"

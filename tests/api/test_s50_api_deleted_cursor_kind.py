"""``GET /v1/videos?after=`` with the id of a shoot-out or batch deleted since is a 400 saying so; it paged
on silently from where that job had stood, as if it were a deleted video."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

TINY = {"prompt": "a fox", "model": "wan-tiny"}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def _said(after: str, what: str) -> str:
    return (
        f"after: {after!r} was {what}, deleted since, not a video of this list; after takes the id of a "
        "video GET /v1/videos listed (its last_id, for the next page), or leave after out for the first page"
    )


def test_a_deleted_shootout_or_batch_id_is_refused_as_one(any_db_client: TestClient, root: Path) -> None:
    client = any_db_client
    for _ in range(2):
        assert client.post("/v1/videos", json=TINY).status_code == 202
    body = {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(root / "report")}
    shootout = client.post("/v1/shootouts", json=body).json()["id"]
    (root / "shots").mkdir()
    manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"prompt": "a fox", "output": "fox"}]}
    batch = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(root / "shots")})
    assert batch.status_code == 202, batch.text
    batch_id = batch.json()["id"]
    assert client.delete(f"/v1/shootouts/{shootout}").status_code == 200
    assert client.delete(f"/v1/batches/{batch_id}").status_code == 200

    resp = client.get("/v1/videos", params={"after": shootout})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == {
        "message": _said(shootout, "a shoot-out (GET /v1/shootouts)"),
        "type": "invalid_request_error",
        "param": "after",
        "code": "invalid_value",
    }
    resp = client.get("/v1/videos", params={"after": batch_id})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == _said(batch_id, "a batch (GET /v1/batches)")


def test_a_deleted_video_still_marks_its_place(any_db_client: TestClient) -> None:
    client = any_db_client
    made = [client.post("/v1/videos", json=TINY).json()["id"] for _ in range(3)]
    assert client.delete(f"/v1/videos/{made[1]}").status_code == 200
    page = client.get("/v1/videos", params={"after": made[1]})
    assert page.status_code == 200, page.text
    assert [v["id"] for v in page.json()["data"]] == [made[0]]

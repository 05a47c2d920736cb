"""A batch's or shoot-out's route given the id of a video, of the other parent kind, or of no job's form
says so, as ``GET /v1/videos/{id}`` says it of a batch's id: it said only "no batch '<id>'"."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def _said(client: TestClient, path: str) -> str:
    resp = client.request("POST" if path.endswith("/cancel") else "GET", path)
    assert resp.status_code == 404, resp.text
    return str(resp.json()["error"]["message"])


def test_a_video_or_shoot_out_id_is_said_to_be_one(client: TestClient, root: Path) -> None:
    video = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny"}).json()["id"]
    body = {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(root / "r")}
    shootout = client.post("/v1/shootouts", json=body).json()["id"]

    for path in (f"/v1/batches/{video}", f"/v1/batches/{video}/items", f"/v1/batches/{video}/cancel"):
        assert _said(client, path) == (
            f"no batch {video!r}: it is a video (GET /v1/videos/{video}), not a batch"
        )
    assert _said(client, f"/v1/shootouts/{video}/report") == (
        f"no shoot-out {video!r}: it is a video (GET /v1/videos/{video}), not a shoot-out"
    )
    assert _said(client, f"/v1/batches/{shootout}") == (
        f"no batch {shootout!r}: it is a shoot-out (GET /v1/shootouts/{shootout}), not a batch"
    )
    # What the retrieve route says of it, the video route says of a batch's id too.
    assert client.get(f"/v1/shootouts/{shootout}").status_code == 200


def test_an_id_of_no_jobs_form_is_told_the_form(client: TestClient) -> None:
    assert _said(client, "/v1/batches/shot-001") == (
        "no batch 'shot-001': batch ids are 'video_' followed by 32 hex digits"
    )
    error = client.get("/v1/shootouts", params={"after": "p1"}).json()["error"]
    assert error["param"] == "after" and error["message"] == (
        "after: no shoot-out 'p1' to continue from: shoot-out ids are 'video_' followed by 32 hex digits; "
        "list again without after, or from a shoot-out that still exists"
    )

"""``GET /v1/videos?after=`` with the id of a shoot-out or batch (not a video of the list) is a 400 saying so."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

TINY = {"prompt": "a fox", "model": "wan-tiny"}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return tmp_path


def test_a_shootout_id_as_after_is_said_to_be_no_video_of_the_list(client: TestClient, root: Path) -> None:
    older = client.post("/v1/videos", json=TINY).json()
    body = {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(root / "report")}
    shootout = client.post("/v1/shootouts", json=body)
    assert shootout.status_code == 202, shootout.text
    client.post("/v1/videos", json=TINY)
    for order in ("desc", "asc"):
        resp = client.get("/v1/videos", params={"after": shootout.json()["id"], "order": order})
        # It listed the videos made before (or after) the shoot-out, as if it were a video of the list.
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"] == {
            "message": f"after: {shootout.json()['id']!r} is a shoot-out (GET /v1/shootouts), not a video "
            "of this list; after takes the id of a video GET /v1/videos listed (its last_id, for the next "
            "page), or leave after out for the first page",
            "type": "invalid_request_error",
            "param": "after",
            "code": "invalid_value",
        }
    # A video's id (the shoot-out's own clip is one) still pages on.
    page = client.get("/v1/videos", params={"after": older["id"], "order": "asc"})
    assert page.status_code == 200 and len(page.json()["data"]) == 2


def test_a_batch_id_as_after_is_said_to_be_a_batch(client: TestClient, root: Path) -> None:
    (root / "shots").mkdir()
    manifest = {"defaults": {"model": "wan-tiny"}, "items": [{"prompt": "a fox", "output": "fox"}]}
    batch = client.post("/v1/batches", json={"manifest": manifest, "input_folder": str(root / "shots")})
    assert batch.status_code == 202, batch.text
    error = client.get("/v1/videos", params={"after": batch.json()["id"]}).json()["error"]
    assert error["message"].startswith(
        f"after: {batch.json()['id']!r} is a batch (GET /v1/batches), not a video"
    )

"""``GET /v1/videos?parent=ID``: one batch's or shoot-out's item jobs only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.test_s55a_video_parent import shootout_with_item


@pytest.fixture
def client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_client: Callable[..., TestClient]
) -> TestClient:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    return make_client()


def test_only_the_parents_items_are_listed(client: TestClient, tmp_path: Path) -> None:
    first, item = shootout_with_item(client, tmp_path / "one")
    shootout_with_item(client, tmp_path / "two")
    client.post("/v1/videos", json={"prompt": "a fox", "model": "reelgen-micro"})
    assert len(client.get("/v1/videos").json()["data"]) == 3
    page = client.get(f"/v1/videos?parent={first}").json()
    assert [v["id"] for v in page["data"]] == [item]
    assert page["has_more"] is False


@pytest.mark.parametrize("named", ["video", "none", "short"])
def test_a_parent_that_is_no_batch_or_shootout_is_a_400(client: TestClient, named: str) -> None:
    video = client.post("/v1/videos", json={"prompt": "a fox", "model": "reelgen-micro"}).json()["id"]
    parent = {"video": video, "none": "video_" + "0" * 32, "short": "abc"}[named]
    resp = client.get(f"/v1/videos?parent={parent}")
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "parent"
    said = {"video": "is a video (GET /v1/videos)", "none": "is no job", "short": "is no job: batch ids are"}
    assert error["message"].startswith(f"parent: {parent!r} {said[named]}")
    assert "give the id of a batch or shoot-out (GET /v1/batches, GET /v1/shootouts)" in error["message"]

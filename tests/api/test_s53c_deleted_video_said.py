"""A video deleted since was "no video 'ID'" on every /v1/videos route, as an id mistyped: ``reelgen status ID``
after a ``reelgen delete ID`` (or a teammate's) read as a typo. The store keeps a deleted job's place for
page cursors, and the 404 now says the video was deleted; an id no job had is as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

FOX = {"model": "cogvideox-tiny", "prompt": "a red fox"}


def test_each_route_of_a_deleted_video_says_it_was_deleted(client: TestClient) -> None:
    video_id = client.post("/v1/videos", json=FOX).json()["id"]
    assert client.delete(f"/v1/videos/{video_id}").status_code == 200
    for method, path in (
        ("GET", ""),
        ("GET", "/content"),
        ("GET", "/events"),
        ("POST", "/cancel"),
        ("DELETE", ""),
    ):
        resp = client.request(method, f"/v1/videos/{video_id}{path}")
        assert resp.status_code == 404, (method, path, resp.text)
        error = resp.json()["error"]
        assert error["message"] == f"no video '{video_id}': it was deleted", (method, path)
        assert (error["param"], error["code"]) == ("video_id", "not_found")
    remix = client.post(f"/v1/videos/{video_id}/remix", json={"prompt": "at dawn"})
    assert remix.status_code == 404
    assert remix.json()["error"]["message"] == f"no video '{video_id}': it was deleted"


def test_an_id_no_job_had_is_still_only_not_found(client: TestClient) -> None:
    never = "video_" + "0" * 32
    resp = client.get(f"/v1/videos/{never}")
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == f"no video '{never}'"


def test_a_deleted_shootouts_id_is_said_to_have_been_one(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    body = {"models": ["wan-tiny"], "prompts": {"prompts": ["a fox"]}, "output_folder": str(tmp_path / "r")}
    shootout = client.post("/v1/shootouts", json=body).json()["id"]
    client.post(f"/v1/shootouts/{shootout}/cancel")
    assert client.delete(f"/v1/shootouts/{shootout}").status_code == 200
    error = client.get(f"/v1/videos/{shootout}").json()["error"]
    assert error["message"] == (
        f"no video '{shootout}': it was a shoot-out (GET /v1/shootouts), deleted since; not a video"
    )

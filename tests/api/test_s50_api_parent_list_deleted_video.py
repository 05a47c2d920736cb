"""``GET /v1/batches?after=`` (and ``/v1/shootouts``) with the id of a video deleted since is a 400 saying it
was a video; it said "no batch '<id>' to continue from; ... from a batch that still exists"."""

from __future__ import annotations

from fastapi.testclient import TestClient

TINY = {"prompt": "a fox", "model": "wan-tiny"}


def _said(after: str, noun: str, path: str) -> str:
    return (
        f"after: {after!r} was a video (GET /v1/videos), deleted since, not a {noun} of this list; after "
        f"takes the id of a {noun} GET /v1/{path} listed (its last_id, for the next page), or leave after "
        "out for the first page"
    )


def test_a_deleted_video_id_is_said_to_have_been_a_video(any_db_client: TestClient) -> None:
    client = any_db_client
    video = client.post("/v1/videos", json=TINY).json()["id"]
    assert client.delete(f"/v1/videos/{video}").status_code == 200
    for path, noun in (("batches", "batch"), ("shootouts", "shoot-out")):
        resp = client.get(f"/v1/{path}", params={"after": video})
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"] == {
            "message": _said(video, noun, path),
            "type": "invalid_request_error",
            "param": "after",
            "code": "invalid_value",
        }


def test_an_id_of_no_job_is_still_no_batch(client: TestClient) -> None:
    gone = "video_" + "0" * 32
    error = client.get("/v1/batches", params={"after": gone}).json()["error"]
    assert error["message"] == (
        f"after: no batch {gone!r} to continue from; list again without after, or from a batch that still "
        "exists"
    )

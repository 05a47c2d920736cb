"""A list's ``after`` that names no video is quoted short, with what a video id looks like."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_long_after_is_cut_short_and_the_id_form_is_said(client: TestClient) -> None:
    resp = client.get("/v1/videos", params={"after": "x" * 3000})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "after"
    assert len(error["message"]) < 300  # the 3000 characters came back whole
    assert error["message"] == (
        f"after: no video {'x' * 40!r}... to continue from: video ids are 'video_' followed by 32 hex "
        "digits; list again without after, or from a video that still exists"
    )


def test_an_unknown_video_id_as_after_is_said_as_before(client: TestClient) -> None:
    gone = "video_" + "0" * 32
    error = client.get("/v1/videos", params={"after": gone}).json()["error"]
    assert error["message"] == (
        f"after: no video {gone!r} to continue from; list again without after, or from a video that "
        "still exists"
    )

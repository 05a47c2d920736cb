"""``POST /v1/videos`` with a blank ``model`` lists models that make a video, not the avatar-only reelgen-lipsync."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_blank_model_lists_video_models_only(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={"prompt": "a fox", "model": " "})
    assert resp.status_code == 400, resp.text
    message = resp.json()["error"]["message"]
    assert "reelgen-micro" in message and "wan-1.3b" in message
    assert "reelgen-lipsync" not in message, message
    assert (
        "(the first of each family that makes a video from a prompt or an image; that list has all" in message
    )

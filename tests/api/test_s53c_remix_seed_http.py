"""``POST /v1/videos/{id}/remix`` with ``"seed": -1`` was told "leave seed out for a random one"; a remix
without a seed keeps the remixed video's, so it now says that. A create still says "a random one"."""

from __future__ import annotations

from fastapi.testclient import TestClient

FOX = {"model": "cogvideox-tiny", "prompt": "a red fox"}


def test_a_negative_remix_seed_says_a_left_out_seed_keeps_the_remixed_videos(client: TestClient) -> None:
    video = client.post("/v1/videos", json=FOX).json()
    resp = client.post(f"/v1/videos/{video['id']}/remix", json={"prompt": "at dawn", "seed": -1})
    assert resp.status_code == 400, resp.text
    message = resp.json()["error"]["message"]
    assert "leave seed out to keep the remixed video's seed" in message
    assert "random one" not in message
    create = client.post("/v1/videos", json={**FOX, "seed": -1}).json()["error"]["message"]
    assert "leave seed out for a random one" in create

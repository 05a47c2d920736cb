"""A length the model cannot come close to is a 400 naming what it can make, on both video routes."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_two_seconds_at_half_a_frame_a_second_is_refused_on_the_legacy_route(client: TestClient) -> None:
    # It queued a 10 s video (5 frames at 0.5 fps) for "duration": 2, and the answer said nothing.
    body = {"prompt": "x", "model": "reelgen-micro", "duration": 2, "fps": 0.5}
    resp = client.post("/api/video/generate", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "duration"  # the field as this route names it
    said = error["message"]
    assert said.startswith("duration: 2 s at 0.5 fps would be 10 s (5 frames)")
    assert "set the frame rate (fps) to 2.5 (5 frames) or 4.5 (9 frames)" in said


def test_a_hundredth_of_a_second_is_refused_on_v1_videos(client: TestClient) -> None:
    # It queued a 0.417 s video for "seconds": "0.01".
    resp = client.post("/v1/videos", json={"prompt": "x", "model": "reelgen-micro", "seconds": "0.01"})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "seconds"
    assert error["message"].startswith("seconds: 0.01 s at 12 fps would be 0.417 s (5 frames)")
    assert client.get("/v1/videos").json()["data"] == []


def test_a_length_on_the_lattice_is_queued_and_said_back(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={"prompt": "x", "model": "reelgen-micro", "seconds": "1"})
    assert resp.status_code == 202, resp.text
    assert resp.json()["seconds"] == "1.083"  # 13 frames at 12 fps: within half a frame step of 1 s

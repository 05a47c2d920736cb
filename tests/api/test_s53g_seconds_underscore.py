"""``seconds`` as text is read as a number is written in JSON: "4_0" is not 40."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_seconds_with_an_underscore_is_refused_not_read_as_a_longer_clip(
    make_client: Callable[..., TestClient],
) -> None:
    # It queued (or was refused as "seconds 40 is longer than one clip can be"): float("4_0") is 40.
    client = make_client()
    resp = client.post("/v1/videos", json={"prompt": "a fox", "model": "reelgen-micro", "seconds": "4_0"})
    assert resp.status_code == 400, resp.text
    assert (
        resp.json()["error"]["message"]
        == "seconds '4_0' must be a number above 0 and at most 3600, e.g. \"4\""
    )
    fine = client.post("/v1/videos", json={"prompt": "a fox", "model": "reelgen-micro", "seconds": "4"})
    assert fine.status_code == 202, fine.text  # queued

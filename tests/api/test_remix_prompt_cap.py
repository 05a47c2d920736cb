"""A remix's prompt is held to the create's cap on text: one refused on create was queued as a remix."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("field", ["prompt", "negative_prompt"])
def test_a_remix_prompt_past_the_servers_limit_is_refused_naming_which(
    client: TestClient, field: str
) -> None:
    parent = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny", "num_frames": 9})
    assert parent.status_code == 202, parent.text
    body = {"prompt": "a fox in snow", field: "x" * 4001}
    resp = client.post(f"/v1/videos/{parent.json()['id']}/remix", json=body)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["param"] == field
    assert (
        resp.json()["error"]["message"]
        == f"{field}: it has 4,001 characters, and at most 4,000 are taken; shorten it"
    )
    listed = [video["id"] for video in client.get("/v1/videos").json()["data"]]
    assert listed == [parent.json()["id"]]  # nothing queued

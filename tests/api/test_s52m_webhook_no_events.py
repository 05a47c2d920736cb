"""A webhook asking for no event is refused, not sent the default ones."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_an_empty_events_list_is_refused_naming_the_events_and_queues_nothing(client: TestClient) -> None:
    # "events": [] was taken as left out: the receiver got completed, failed and cancelled POSTs.
    hook = {"url": "https://hooks.example/reelgen", "events": []}
    answer = client.post("/v1/videos", json={"prompt": "a fox", "model": "ltx-tiny", "webhook": hook})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["param"] == "webhook.events"
    assert "is empty" in error["message"] and "leave events out" in error["message"]
    assert client.get("/v1/videos").json()["data"] == []

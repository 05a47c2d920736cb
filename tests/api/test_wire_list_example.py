"""A create's list field given no list is shown the shape once: its own JSON shape, else one from its type."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

HOOK = {"url": "https://example.com/hook", "events": "completed"}
BRACKETS = 'webhook.events: \'completed\' is not a list; give a list in brackets, e.g. ["queued", "started"]'


def test_a_form_webhook_with_events_not_a_list_is_shown_the_list_shape(client: TestClient) -> None:
    form = {"prompt": "a fox", "model": "wan-tiny", "webhook": json.dumps(HOOK)}
    resp = client.post("/v1/videos", data=form)
    assert resp.status_code == 400, resp.text
    # It read "webhook.events: Input should be a valid list" and stopped: no shape to try.
    assert resp.json()["error"]["message"] == BRACKETS
    assert resp.json()["error"]["param"] == "webhook.events"


def test_a_json_webhook_with_events_not_a_list_is_shown_the_list_shape(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny", "webhook": HOOK})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == BRACKETS


def test_a_form_list_with_a_shape_of_its_own_is_shown_only_that_one(client: TestClient) -> None:
    form = {"prompt": "a fox", "model": "wan-tiny", "keyframes": '{"frame": 0}'}
    resp = client.post("/v1/videos", data=form)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        'keyframes: an object is not a list; give a JSON list of objects, e.g. [{"frame": 0, "strength": 1.0}]'
    )

"""A priority that is no whole number is told the range the server takes (up to its cap), not -1000 to 1000."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

NO_VIDEO = "/v1/videos/video_00000000000000000000000000000000"

ROUTES = [
    ("/v1/videos", {"prompt": "a fox", "model": "ltx-tiny"}),
    (f"{NO_VIDEO}/remix", {"prompt": "a fox"}),
    (f"{NO_VIDEO}/enhance", {"upscale": 2}),
    ("/v1/avatars", {"text": "hello"}),
]

CASES = [
    (1.5, "priority: 1.5 is not a whole number"),
    ("3", "priority: '3' is text, not a number (write it without quotes)"),
    (True, "priority: true is not a number"),
]


def test_a_priority_of_the_wrong_kind_is_told_the_servers_cap(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_priority=50)
    for url, body in ROUTES:
        for priority, head in CASES:
            resp = client.post(url, json={**body, "priority": priority})
            assert resp.status_code == 400, (url, resp.text)
            error = resp.json()["error"]
            # It said "give a whole number from -1000 to 1000", and 1000 was then refused in turn.
            assert error["message"] == f"{head}; give a whole number from -1000 to 50", (url, error)
            assert error["param"] == "priority"
    assert client.get("/v1/videos").json()["data"] == []  # nothing was queued


def test_a_form_priority_that_is_no_whole_number_is_told_the_cap(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(max_priority=50)
    resp = client.post("/v1/videos", data={"prompt": "a fox", "model": "ltx-tiny", "priority": "1.5"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "priority: '1.5' is not a whole number; give a whole number from -1000 to 50"
    )

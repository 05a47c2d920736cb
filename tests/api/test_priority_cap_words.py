"""A priority past a job body's bounds is told the range the server takes: up to its cap, not to 1000."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

NO_VIDEO = "/v1/videos/video_00000000000000000000000000000000"

#: A JSON body of each job route, without its priority, and whether the route checks the cap before it
#: looks for the video (an enhance of no video is a 404 first); a body's bounds are checked before either.
ROUTES = [
    ("/v1/videos", {"prompt": "a fox", "model": "ltx-tiny"}, True),
    (f"{NO_VIDEO}/remix", {"prompt": "a fox"}, True),
    (f"{NO_VIDEO}/enhance", {"upscale": 2}, False),
    ("/v1/avatars", {"text": "hello"}, True),
]


def test_a_priority_past_the_bounds_names_the_cap_not_1000(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_priority=50)
    for url, body, cap_first in ROUTES:
        cases = [
            (5000, "priority 5000 is above this server's cap of 50"),
            (-5000, "priority: -5000 is too small"),
        ]
        for priority, head in cases + [(500, "priority 500 is above this server's cap of 50")] * cap_first:
            resp = client.post(url, json={**body, "priority": priority})
            assert resp.status_code == 400, (url, resp.text)
            error = resp.json()["error"]
            # It said "it takes a whole number from -1000 to 1000", and 1000 was then refused in turn.
            assert error["message"] == f"{head}; it takes a whole number from -1000 to 50", (url, error)
            assert error["param"] == "priority"


def test_a_multipart_priority_past_the_bounds_names_the_cap(client: TestClient) -> None:
    resp = client.post("/v1/videos", data={"prompt": "a fox", "model": "ltx-tiny", "priority": "1001"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "priority 1001 is above this server's cap of 100; it takes a whole number from -1000 to 100"
    )

"""LTX-2 falls back to a negative prompt of its own when none is given; GET /v1/models' options and
the video's recorded options now name it (as LTX's do), so the page's hint and gallery can show it."""

from __future__ import annotations

from fastapi.testclient import TestClient

OPENING = "blurry, out of focus, overexposed"


def test_ltx2s_own_negative_prompt_is_in_its_options_and_the_videos_record(client: TestClient) -> None:
    listed = {m["id"]: m for m in client.get("/v1/models").json()["data"]}
    for model in ("ltx2", "ltx2.3", "ltx2.3-distilled", "ltx2-tiny"):
        # Before, LTX-2's options had no negative_prompt_default: the page could not name the one used.
        assert listed[model]["options"]["negative_prompt_default"].startswith(OPENING), model
    made = client.post("/v1/videos", json={"prompt": "waves", "model": "ltx2-tiny"})
    assert made.status_code == 202, made.text
    recorded = made.json()["parameters"]["options"]["negative_prompt_default"]
    assert recorded == listed["ltx2-tiny"]["options"]["negative_prompt_default"]

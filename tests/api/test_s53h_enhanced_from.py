"""An enhancement of a server video names its source as enhanced_from_video_id, not as a remix's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService
from tests.api.openapi_once import openapi_of
from tests.api.test_head import TINY
from tests.jobs.test_enhance_kind import clip


def _completed(client: TestClient, tmp_path: Path) -> dict[str, Any]:
    """A render finished as a worker finishes one, its file a real clip an enhancement can read."""
    video = client.post("/v1/videos", json=TINY).json()
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    claimed = service.store.claim_next("worker-test", job_id=video["id"])
    assert claimed is not None and claimed.token is not None
    made = clip(tmp_path / "made.mp4", sound=False).read_bytes()
    files = service.artifacts.save(video["id"], claimed.token, {"video": made})
    service.store.complete(video["id"], claimed.token, {"files": files})
    return dict(client.get(f"/v1/videos/{video['id']}").json())


def test_an_enhancement_is_not_said_to_be_a_remix(client: TestClient, tmp_path: Path) -> None:
    source = _completed(client, tmp_path)
    made = client.post(f"/v1/videos/{source['id']}/enhance", json={"upscale": 2, "upscaler": "lanczos"})
    assert made.status_code == 202, made.text
    remix = client.post(f"/v1/videos/{source['id']}/remix", json={"prompt": "the fox at night"}).json()
    # An enhancement said "remixed_from_video_id": its source, which OpenAI's clients read as a remix
    # (a new prompt over the same settings); it changed no prompt, only the picture.
    for video in (made.json(), client.get(f"/v1/videos/{made.json()['id']}").json()):
        assert (video["remixed_from_video_id"], video["enhanced_from_video_id"]) == (None, source["id"])
    assert (remix["remixed_from_video_id"], remix["enhanced_from_video_id"]) == (source["id"], None)
    assert (source["remixed_from_video_id"], source["enhanced_from_video_id"]) == (None, None)
    listed = {v["id"]: v for v in client.get("/v1/videos").json()["data"]}
    assert listed[made.json()["id"]]["enhanced_from_video_id"] == source["id"]


def test_the_schema_says_what_each_source_field_means(client: TestClient) -> None:
    fields = openapi_of(client)["components"]["schemas"]["VideoObject"]["properties"]
    assert "remix" in fields["remixed_from_video_id"]["description"]
    assert fields["enhanced_from_video_id"]["description"].startswith(
        "The video of this server this one enhances (POST /v1/videos/{id}/enhance)"
    )

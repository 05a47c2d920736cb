"""HEAD answers wherever GET does (curl -I, download managers, uptime checks), with GET's headers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService
from tests.api.openapi_once import openapi_of

TINY = {"prompt": "a red fox", "model": "reelgen-micro", "size": "64x64", "num_frames": 9}
CLIP = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 8


def completed(client: TestClient) -> dict[str, Any]:
    """A video finished as a worker finishes one: its file saved under its attempt, then completed."""
    video = client.post("/v1/videos", json=TINY).json()
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    claimed = service.store.claim_next("worker-test", job_id=video["id"])
    assert claimed is not None and claimed.token is not None
    files = service.artifacts.save(video["id"], claimed.token, {"video": CLIP})
    service.store.complete(video["id"], claimed.token, {"files": files})
    return dict(client.get(f"/v1/videos/{video['id']}").json())


def test_head_of_a_video_file_gives_its_size_and_type_without_the_body(client: TestClient) -> None:
    video = completed(client)
    get = client.get(f"/v1/videos/{video['id']}/content")
    head = client.head(f"/v1/videos/{video['id']}/content")
    assert head.status_code == 200, head.text  # was 405: a download manager could not size the file
    assert head.headers["content-length"] == str(len(CLIP)) == get.headers["content-length"]
    assert head.headers["content-type"] == "video/mp4"
    assert head.headers["accept-ranges"] == "bytes"
    assert head.content == b""


def test_head_answers_on_retrieve_list_and_health(client: TestClient) -> None:
    video = client.post("/v1/videos", json=TINY).json()
    for path in (f"/v1/videos/{video['id']}", "/v1/videos", "/healthz", "/v1/models"):
        resp = client.head(path)
        assert resp.status_code == 200, (path, resp.status_code)
        assert resp.headers["content-type"] == "application/json"


def test_head_of_an_unknown_video_is_its_404(client: TestClient) -> None:
    assert client.head("/v1/videos/video_00000000000000000000000000000000").status_code == 404


def test_a_wrong_method_names_head_in_allow_but_the_message_says_get(client: TestClient) -> None:
    resp = client.post("/v1/videos/video_00000000000000000000000000000000/content")
    assert resp.status_code == 405
    assert resp.headers["allow"] == "GET, HEAD"
    assert resp.json()["error"]["message"].endswith("; use GET")


def test_event_streams_stay_get_only_and_the_spec_shows_no_head_operations(client: TestClient) -> None:
    video = client.post("/v1/videos", json=TINY).json()
    assert client.head(f"/v1/videos/{video['id']}/events").status_code == 405  # a stream never ends
    spec = openapi_of(client)
    assert not [path for path, ops in spec["paths"].items() if "head" in ops]

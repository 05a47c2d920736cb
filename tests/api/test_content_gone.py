"""A completed video whose file is not there says why: removed by retention, deleted by hand, or never made."""

from __future__ import annotations

from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService
from tests.api.test_head import completed


def _service(client: TestClient) -> JobService:
    return client.app.state.service  # type: ignore[attr-defined]


def test_a_file_deleted_by_hand_is_not_said_to_be_removed_by_retention(client: TestClient) -> None:
    video = completed(client)
    path = _service(client).content(video["id"])
    assert path is not None
    path.unlink()
    for resp in (
        client.get(f"/v1/videos/{video['id']}/content"),
        client.post(f"/v1/videos/{video['id']}/enhance", json={"interpolate": 2, "interpolator": "flow"}),
    ):
        assert resp.status_code == 404 and resp.json()["error"]["code"] == "content_removed"
        said = resp.json()["error"]["message"]
        assert said.startswith(
            f"the video of {video['id']} is missing: its file is no longer in the server's"
        )
        assert "(deleted outside reelgen; retention had not removed it)" in said


def test_a_file_retention_removed_says_so(client: TestClient) -> None:
    video = completed(client)
    service = _service(client)
    service.artifacts.delete(video["id"])
    service.store.mark_data_removed(video["id"])
    resp = client.get(f"/v1/videos/{video['id']}/content")
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == f"the video of {video['id']} was removed (retention)"


def test_a_variant_never_made_is_not_said_to_be_removed(client: TestClient) -> None:
    video = completed(client)  # saved with a video and no thumbnail
    resp = client.get(f"/v1/videos/{video['id']}/content", params={"variant": "thumbnail"})
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == f"video {video['id']} has no thumbnail"

"""``GET /v1/videos?model=flow&status=failed``: an enhanced upload's row names its methods (``flow``) as its
model, and the list shows it so; narrowed by a state none of them is in, the list answered 400 "unknown model
'flow'; known models: ..." for a name it had just listed. Now it is an empty page; a name no job and no
model has is still told the known ones."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.jobs.test_enhance_kind import clip


def _enhanced_upload(client: TestClient, tmp_path: Path) -> str:
    source = clip(tmp_path / "holiday.mp4", sound=False)
    form = {"interpolate": "2", "interpolator": "flow"}
    resp = client.post("/v1/videos/enhance", data=form, files={"file": ("holiday.mp4", source.read_bytes())})
    assert resp.status_code == 202, resp.text
    assert resp.json()["model"] == "flow"
    return str(resp.json()["id"])


def test_a_model_the_list_shows_is_no_unknown_model_when_a_filter_leaves_none(
    client: TestClient, tmp_path: Path
) -> None:
    video_id = _enhanced_upload(client, tmp_path)
    listed = client.get("/v1/videos", params={"model": "flow"}).json()["data"]
    assert [v["id"] for v in listed] == [video_id]
    resp = client.get("/v1/videos", params={"model": "flow", "status": "failed"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == [] and resp.json()["has_more"] is False


def test_a_name_of_no_job_and_no_model_is_still_refused(client: TestClient, tmp_path: Path) -> None:
    _enhanced_upload(client, tmp_path)
    resp = client.get("/v1/videos", params={"model": "flwo", "status": "failed"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"].startswith("model: unknown model 'flwo'")

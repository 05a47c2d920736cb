"""An event stream asked to resume from two ``Last-Event-ID`` headers is a 400 naming both values."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film

TWO = [("Last-Event-ID", "1"), ("Last-Event-ID", "0")]
SAID = {
    "message": "Last-Event-ID is sent 2 times ('1', '0'); send it once, with the id of the last event received",
    "type": "invalid_request_error",
    "param": "Last-Event-ID",
    "code": "invalid_value",
}


def test_a_video_stream_with_two_last_event_ids_is_refused_naming_both(client: TestClient) -> None:
    video = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny"}).json()
    client.post(f"/v1/videos/{video['id']}/cancel")  # ended: a stream that opens ends too
    with client.stream("GET", f"/v1/videos/{video['id']}/events", headers=TWO) as resp:
        resp.read()
    # The first was taken without a word: 200, resuming after event 1 ("0" never looked at).
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == SAID
    with client.stream("GET", f"/v1/videos/{video['id']}/events", headers={"Last-Event-ID": "1"}) as one:
        assert one.status_code == 200  # one, as a browser sends it, still resumes


def test_a_project_job_stream_with_two_last_event_ids_is_refused_naming_both(
    client: TestClient, tmp_path: Path
) -> None:
    url = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    job = client.post(f"{url}/render", json={}).json()
    client.post(f"{url}/jobs/{job['id']}/cancel")
    with client.stream("GET", f"{url}/jobs/{job['id']}/events", headers=TWO) as resp:
        resp.read()
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == SAID

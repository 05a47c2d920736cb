"""An event stream sent a ``Last-Event-ID`` it never gave out is a 400 naming the header and the value."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film


def said(value: str, takes: str) -> dict[str, str]:
    return {
        "message": f"Last-Event-ID: {value} is no event id of this stream; send the id of the last event "
        f"received ({takes}), or leave Last-Event-ID out to start from the beginning",
        "type": "invalid_request_error",
        "param": "Last-Event-ID",
        "code": "invalid_value",
    }


@pytest.mark.parametrize("value", ["abc", "1, 0", "2.0"])
def test_a_video_stream_refuses_a_last_event_id_it_cannot_read(client: TestClient, value: str) -> None:
    video = client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny"}).json()
    client.post(f"/v1/videos/{video['id']}/cancel")  # ended: a stream that opens ends too
    url = f"/v1/videos/{video['id']}/events"
    with client.stream("GET", url, params={"after": 1}, headers={"Last-Event-ID": value}) as resp:
        resp.read()
    # It was read as no header at all: 200, resuming from ?after= (or from the first event without it).
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == said(repr(value), "a whole number, such as 7")
    with client.stream("GET", url, headers={"Last-Event-ID": "1"}) as one:
        assert one.status_code == 200  # an id the stream sent still resumes


@pytest.mark.parametrize("value", ["abc", "1, 0", "3..1"])
def test_a_project_job_stream_refuses_a_last_event_id_it_cannot_read(
    client: TestClient, tmp_path: Path, value: str
) -> None:
    url = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    job = client.post(f"{url}/render", json={}).json()
    client.post(f"{url}/jobs/{job['id']}/cancel")
    events = f"{url}/jobs/{job['id']}/events"
    with client.stream("GET", events, headers={"Last-Event-ID": value}) as resp:
        resp.read()
    # It was read as "from the first event" without a word.
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == said(repr(value), "whole numbers joined by dots, such as 3.5.0.7")
    with client.stream("GET", events, headers={"Last-Event-ID": "1.0"}) as one:
        assert one.status_code == 200

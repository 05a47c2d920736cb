"""A whole number written with a decimal point (``64.0``, as JavaScript and many JSON writers send it) is
that number on every create route, as on /v1/videos; one with a fraction is refused, saying so.

The avatar and legacy routes answered "face_index: 0 is not a whole number" and "width: 64 is not a whole
number": a message that contradicts itself, for a value JSON Schema's ``integer`` (the served schema's
type for those fields) admits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    jobs = JobSettings(data_dir=tmp_path_factory.mktemp("whole-floats") / "server")
    app = create_app(ApiSettings(jobs=jobs, serve_web=False), start_service=False)  # jobs stay queued
    with TestClient(app, raise_server_exceptions=False) as shared:
        yield shared


def job_of(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = client.post(path, json=body)
    assert resp.status_code == 202, resp.text
    answer = dict(resp.json())
    job_id = answer.get("id") or answer["job_id"]
    return dict(client.get(f"/v1/videos/{job_id}").json())


def test_the_legacy_route_takes_64_0_as_64(client: TestClient) -> None:
    body = {"prompt": "a fox", "model": "wan-tiny", "width": 64.0, "height": 48.0, "num_frames": 9.0}
    video = job_of(client, "/api/video/generate", {**body, "steps": 2.0, "seed": 7.0, "priority": 1.0})
    assert (video["size"], video["seed"]) == ("64x48", 7)


def test_an_avatar_takes_face_index_0_0_as_0(client: TestClient) -> None:
    video = job_of(client, "/v1/avatars", {"text": "hello there", "face_index": 0.0, "priority": 2.0})
    assert video["status"] == "queued"


@pytest.mark.parametrize(
    ("path", "body", "said"),
    [
        ("/api/video/generate", {"prompt": "a fox", "width": 64.5}, "width: 64.5 is not a whole number"),
        ("/v1/avatars", {"text": "hello there", "face_index": 0.5}, "face_index: 0.5 is not a whole number"),
        ("/v1/avatars", {"text": "hello there", "priority": 1.5}, "priority: 1.5 is not a whole number"),
    ],
)
def test_a_fraction_is_still_refused_naming_it(
    client: TestClient, path: str, body: dict[str, Any], said: str
) -> None:
    resp = client.post(path, json=body)
    assert resp.status_code == 400
    assert resp.json()["error"]["message"].startswith(said + "; give a whole number from ")


def test_an_enhance_takes_priority_1_0_and_goes_on_to_look_for_the_video(client: TestClient) -> None:
    missing = f"/v1/videos/video_{'0' * 32}/enhance"
    resp = client.post(missing, json={"interpolate": 2.0, "priority": 1.0})
    assert resp.status_code == 404, resp.text  # the body was read; no such video
    resp = client.post(missing, json={"interpolate": 2, "priority": 1.5})
    assert resp.json()["error"]["message"].startswith("priority: 1.5 is not a whole number; give ")

"""``/v1/projects/{id}/render`` and ``/clips/{key}``: a choice that names nothing, or no known value, is a 400."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film


def test_an_empty_scene_list_renders_nothing_and_says_so(client: TestClient, tmp_path: Path) -> None:
    url = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    resp = client.post(f"{url}/render", json={"scenes": []})
    # It was taken as no choice at all: every stale scene of the film was queued.
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "scenes"
    assert error["message"] == (
        "scenes: an empty list names no scene; name the scene ids to render, or leave scenes out "
        "to render every stale scene"
    )
    assert client.get(url).json()["job"] is None


def test_a_clip_variant_not_known_lists_the_valid_ones(client: TestClient, tmp_path: Path) -> None:
    url = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    resp = client.get(f"{url}/clips/0123456789abcdef?variant=json")
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It read "String should match pattern '^(video|metadata)$'".
    assert error == {
        "message": "variant: 'json' is not a choice; give video or metadata",
        "type": "invalid_request_error",
        "param": "variant",
        "code": "invalid_value",
    }


def test_a_render_priority_past_the_bounds_names_the_cap(client: TestClient, tmp_path: Path) -> None:
    url = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    for route in ("render", "export"):
        resp = client.post(f"{url}/{route}", json={"priority": 1001})
        assert resp.status_code == 400, resp.text
        # It said "it takes a whole number from -1000 to 1000", and 1000 was refused in turn.
        assert resp.json()["error"]["message"] == (
            "priority 1001 is above this server's cap of 100; it takes a whole number from -1000 to 100"
        )


def test_a_project_event_cursor_that_is_no_event_id_is_refused(client: TestClient, tmp_path: Path) -> None:
    url = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    for after in ("abc", "-1", "3..5", "1.2.x"):
        resp = client.get(f"{url}/jobs/video_00000000000000000000000000000000/events?after={after}")
        # Each was read as "from the beginning" without a word, where a video's ?after=abc is a 400.
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["param"] == "after"
        assert error["message"].startswith(
            f"after: {after!r} is no event id of this stream; give an id it sent"
        )

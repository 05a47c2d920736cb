"""``DELETE /v1/videos/{id}`` of a running shoot-out's (or batch's) item: a 409 that names the shoot-out,
where to see it and how to stop or delete it, on the route's own parameter."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of
from tests.api.test_s55a_video_parent import client, shootout_with_item  # noqa: F401 (a fixture)


def test_an_item_of_a_running_shootout_is_not_deleted(client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    shootout, item = shootout_with_item(client, tmp_path / "report")
    resp = client.delete(f"/v1/videos/{item}")
    assert resp.status_code == 409, resp.text
    error = resp.json()["error"]
    # It said "job X belongs to Y, which is still running" on param "id", Y not said to be a shoot-out.
    assert error["param"] == "video_id"
    url = f"/v1/shootouts/{shootout}"
    assert error["message"] == (
        f"video {item} is an item of the shoot-out {shootout} (GET {url}), which is still running and would "
        f"make it again; delete it once the shoot-out has ended (POST {url}/cancel ends it now), or delete "
        f"the shoot-out with its items: DELETE {url}"
    )
    assert client.get(f"/v1/videos/{item}").status_code == 200
    assert client.post(f"{url}/cancel").status_code == 200
    assert client.delete(f"/v1/videos/{item}").status_code == 200


def test_the_409_is_in_the_openapi_schema(client: TestClient) -> None:  # noqa: F811
    answers = openapi_of(client)["paths"]["/v1/videos/{video_id}"]["delete"]["responses"]
    assert "batch or shoot-out still running" in answers["409"]["description"]

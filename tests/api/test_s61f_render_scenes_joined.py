"""``POST /v1/projects/{id}/render`` with ``{"scenes": ["boats,pan"]}`` says to give each scene as its own
list item, as the command line says to give each its own ``-s``: it said "no scene 'boats,pan' in the
project; scenes to render: boats, pan", naming the very scenes it had just said were not there."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film


def test_scenes_joined_by_a_comma_are_told_to_be_listed_one_each(client: TestClient, tmp_path: Path) -> None:
    url = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    resp = client.post(f"{url}/render", json={"scenes": ["boats, pan"]})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "scenes"
    assert error["message"] == (
        "'boats, pan' holds a ',', which no scene id does; give each scene as its own item of the list: "
        '["boats", "pan"]'
    )
    assert client.get(url).json()["job"] is None  # nothing queued


def test_other_scenes_named_with_it_are_kept_in_the_list_it_suggests(
    client: TestClient, tmp_path: Path
) -> None:
    url = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    resp = client.post(f"{url}/render", json={"scenes": ["pan", "boats,pan"]})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"].endswith(
        'give each scene as its own item of the list: ["pan", "boats"]'
    )

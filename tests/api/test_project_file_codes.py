"""Every status a project's file download answers is one /openapi.json documents for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of
from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film


@pytest.mark.parametrize(
    ("route", "where"),
    [
        ("/v1/projects/{project_id}/exports/{name}", "exports/film.mp4"),
        ("/v1/projects/{project_id}/clips/{key}", "clips/0123abcd.mp4"),
    ],
)
def test_each_status_a_project_download_answers_is_documented(
    client: TestClient, tmp_path: Path, data_dir: Path, route: str, where: str
) -> None:
    project = upload(client, make_film(tmp_path / "film")).json()
    # A file as the render or export leaves it; what is in it does not matter to the download.
    made = data_dir / "projects" / project["id"] / where
    made.parent.mkdir(exist_ok=True)
    made.write_bytes(b"\0" * 100)
    url = f"/v1/projects/{project['id']}/{where.removesuffix('.mp4')}"
    url = url if where.startswith("clips/") else f"{url}.mp4"
    first = client.get(url)
    assert first.status_code == 200, first.text
    answered = {
        client.get(url, headers={"Range": "bytes=0-9"}).status_code,
        client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code,
        client.get(url, headers={"Range": "bytes=999-"}).status_code,
    }
    assert answered == {206, 304, 416}
    documented = openapi_of(client)["paths"][route]["get"]["responses"]
    assert {str(code) for code in answered} <= set(documented)

"""An export's URL, as the project and its job give it, downloads that film whatever its name holds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fastapi.testclient import TestClient

from reelgen.api.project_jobs import job_view

NAME = "take #2? final.mp4"  # a name the project file's export.output may give


def _project_with_film(client: TestClient, data_dir: Path) -> str:
    made = client.post(
        "/v1/projects",
        json={"project": {"title": "T", "scenes": [{"title_card": {"text": "T"}, "duration": 1}]}},
    )
    assert made.status_code == 201, made.text
    project_id: str = made.json()["id"]
    exports = data_dir / "projects" / project_id / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    (exports / NAME).write_bytes(b"the film")
    return project_id


def test_the_project_s_export_url_fetches_the_film(client: TestClient, data_dir: Path) -> None:
    project_id = _project_with_film(client, data_dir)
    [export] = client.get(f"/v1/projects/{project_id}").json()["exports"]
    assert export["name"] == NAME
    got = client.get(export["url"])
    assert got.status_code == 200, got.text  # was 404: "has no export 'take '"
    assert got.content == b"the film"


def test_the_export_job_s_url_fetches_the_film(client: TestClient, data_dir: Path) -> None:
    project_id = _project_with_film(client, data_dir)
    queued = client.post(f"/v1/projects/{project_id}/export", json={"export_settings": {"output": NAME}})
    assert queued.status_code == 202, queued.text
    service = client.app.state.service  # type: ignore[attr-defined]
    job = service.get(queued.json()["id"])
    done = dataclasses.replace(job, result={"export": {"name": NAME, "frames": 24}})
    view = job_view(service, done, project_id, "http://testserver")
    assert view.export is not None
    got = client.get(view.export["url"])
    assert got.status_code == 200, got.text
    assert got.content == b"the film"


def test_a_film_named_in_capitals_is_listed_and_downloads(client: TestClient, data_dir: Path) -> None:
    project_id = _project_with_film(client, data_dir)
    exports = data_dir / "projects" / project_id / "exports"
    (exports / "Film.MP4").write_bytes(b"capital film")  # export_settings.output: Film.MP4 is taken
    listed = {x["name"]: x["url"] for x in client.get(f"/v1/projects/{project_id}").json()["exports"]}
    assert "Film.MP4" in listed  # was left out of the list
    got = client.get(listed["Film.MP4"])
    assert got.status_code == 200, got.text  # was 404: "has no export 'Film.MP4'"
    assert got.content == b"capital film"
    assert got.headers["content-type"] == "video/mp4"

"""A render asked to export after it, under a ``.gif`` name a server does not make, is refused up front."""

from __future__ import annotations

import copy
from pathlib import Path

from fastapi.testclient import TestClient

from reelgen.jobs.service import JobService
from tests.api.test_projects_api import upload
from tests.jobs.projects import FILM, make_film

GIF_REFUSAL = (
    "export_settings.output: film.gif would be an animated GIF, which the server does not make: its export "
    "writes a .mp4 film (export.container); name it film.mp4 (a film's name ends in its "
    "container: .mp4, .mov, .mkv or .webm)"
)


def test_a_render_then_export_named_gif_is_refused_before_any_scene_renders(
    client: TestClient, tmp_path: Path
) -> None:
    """With every scene stale it was taken (202), each scene rendered, and the export refused at the end."""
    film = make_film(tmp_path / "film")
    project_id = upload(client, film).json()["id"]
    service: JobService = client.app.state.service  # type: ignore[attr-defined]
    before = len(service.list(limit=100).items)
    sent = client.post(
        f"/v1/projects/{project_id}/render", json={"export": True, "export_settings": {"output": "film.gif"}}
    )
    assert sent.status_code == 400, sent.text
    assert sent.json()["error"]["param"] == "export_settings.output"
    assert sent.json()["error"]["message"] == GIF_REFUSAL
    assert len(service.list(limit=100).items) == before  # no job, so no scene rendered for nothing
    # The same words as POST /v1/projects/{id}/export gives.
    alone = client.post(f"/v1/projects/{project_id}/export", json={"export_settings": {"output": "film.gif"}})
    assert alone.status_code == 400 and alone.json()["error"]["message"] == GIF_REFUSAL


def test_the_project_files_own_gif_output_is_refused_as_the_file_names_it(
    client: TestClient, tmp_path: Path
) -> None:
    film = make_film(tmp_path / "film")
    data = copy.deepcopy(FILM)
    data["export"] = {**(data.get("export") or {}), "output": "film.gif"}
    project_id = upload(client, film, data).json()["id"]
    sent = client.post(f"/v1/projects/{project_id}/render", json={"export": True})
    assert sent.status_code == 400, sent.text
    assert sent.json()["error"]["param"] == "export.output"
    assert sent.json()["error"]["message"] == GIF_REFUSAL.replace("export_settings.output", "export.output")


def test_a_film_name_of_another_container_is_refused_up_front_too(client: TestClient, tmp_path: Path) -> None:
    """x.webm for an mp4 export is refused by the export route; a render then export took it and rendered."""
    project_id = upload(client, make_film(tmp_path / "film")).json()["id"]
    sent = client.post(
        f"/v1/projects/{project_id}/render", json={"export": True, "export_settings": {"output": "x.webm"}}
    )
    assert sent.status_code == 400, sent.text
    alone = client.post(f"/v1/projects/{project_id}/export", json={"export_settings": {"output": "x.webm"}})
    assert sent.json()["error"] == alone.json()["error"]
    assert sent.json()["error"]["message"].startswith(
        "export_settings.output: x.webm does not end in .mp4, the container a film gets when none is set"
    )

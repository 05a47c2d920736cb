"""A server export's film named for another container is told the names a server's film may have,
with no word of GIFs: the server makes none (a .gif name is refused on its own)."""

from __future__ import annotations

import copy
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import FILM, make_film

WEBM_REFUSAL = (
    "export_settings.output: x.webm does not end in .mp4, the container a film gets when none is set; "
    "name it x.mp4, or ask for webm with export_settings.container or container: webm under export: "
    "in the project file (films are .mp4, .mov, .mkv or .webm)"
)


def test_export_and_render_then_export_of_x_webm_name_no_gif(client: TestClient, tmp_path: Path) -> None:
    """Both ended '; .gif makes a looping GIF without sound', a file the next request would be refused."""
    project_id = upload(client, make_film(tmp_path / "film")).json()["id"]
    body = {"export_settings": {"output": "x.webm"}}
    alone = client.post(f"/v1/projects/{project_id}/export", json=body)
    assert alone.status_code == 400, alone.text
    assert alone.json()["error"]["param"] == "export_settings.output"
    assert alone.json()["error"]["message"] == WEBM_REFUSAL
    assert "--" not in WEBM_REFUSAL  # no command-line option over HTTP
    rendered = client.post(f"/v1/projects/{project_id}/render", json={"export": True, **body})
    assert rendered.status_code == 400, rendered.text
    assert rendered.json()["error"]["message"] == WEBM_REFUSAL


def test_the_uploaded_files_own_output_is_told_alike(client: TestClient, tmp_path: Path) -> None:
    data = copy.deepcopy(FILM)
    data["export"] = {**(data.get("export") or {}), "output": "x.webm"}
    project_id = upload(client, make_film(tmp_path / "film"), data).json()["id"]
    sent = client.post(f"/v1/projects/{project_id}/export", json={})
    assert sent.status_code == 400, sent.text
    assert sent.json()["error"]["message"] == WEBM_REFUSAL.replace("export_settings.output", "export.output")
    assert "--" not in sent.json()["error"]["message"]  # no command-line option over HTTP

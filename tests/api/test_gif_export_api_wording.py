"""An export asked of the API under a ``.gif`` name is refused in the API's words, not the CLI's."""

from __future__ import annotations

import copy
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import FILM, make_film


def test_a_gif_output_sent_to_the_api_names_the_field_and_the_films_it_can_make(
    client: TestClient, tmp_path: Path
) -> None:
    """It said "or export without --server to make the GIF": a command-line option no request has."""
    film = make_film(tmp_path / "film")
    url = f"/v1/projects/{upload(client, film).json()['id']}/export"
    sent = client.post(url, json={"export_settings": {"output": "film.gif", "container": "webm"}})
    assert sent.status_code == 400, sent.text
    assert sent.json()["error"]["param"] == "export_settings.output"
    assert sent.json()["error"]["message"] == (
        "export_settings.output: film.gif would be an animated GIF, which the server does not make: its "
        "export writes a .webm film (export_settings.container); name it film.webm (a film's name ends "
        "in its container: .mp4, .mov, .mkv or .webm)"
    )

    # The uploaded project file's own export.output, nothing in the request: named as the file writes it.
    data = copy.deepcopy(FILM)
    data["export"] = {**(data.get("export") or {}), "output": "film.gif"}
    url = f"/v1/projects/{upload(client, film, data).json()['id']}/export"
    in_file = client.post(url, json={})
    assert in_file.status_code == 400, in_file.text
    assert in_file.json()["error"]["param"] == "export.output"
    message = in_file.json()["error"]["message"]
    assert message.startswith("export.output: film.gif would be an animated GIF, which the server does not")
    assert "name it film.mp4 (a film's name ends in its container" in message
    assert "--server" not in message

"""A file the project names but the upload left out is named as the project file's other errors name a scene's field."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.jobs.projects import make_film


def test_a_scenes_image_not_sent_names_the_scene(client: TestClient, tmp_path: Path) -> None:
    film = make_film(tmp_path / "film")
    sent = [("files", ("assets/sea.wav", (film / "assets" / "sea.wav").read_bytes()))]
    text = (film / "project.yaml").read_text()
    resp = client.post("/v1/projects", data={"project": text}, files=sent)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It was "scenes[2].start_image: assets/quay.png is not in the project; upload it with the project file".
    assert error["param"] == "scenes[2].start_image"
    assert error["message"] == (
        "scene 'pan' (scenes[2]): start_image: assets/quay.png was not sent; send it with the project file"
    )

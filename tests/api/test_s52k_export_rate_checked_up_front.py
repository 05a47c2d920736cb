"""A server export whose settings fail at the film's rate is refused before it is queued, as in process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from reelgen.core.errors import InvalidRequest
from reelgen.core.project import ProjectFolder
from reelgen.core.project.export import export_project
from tests.jobs.projects import make_film

#: Two title cards (nothing to render) and a text shown for 0.04 s: between two frames at 12 fps.
CARDS: dict[str, Any] = {
    "title": "Cards",
    "scenes": [
        {"id": "one", "title_card": {"text": "One"}, "duration": 1.0},
        {"id": "two", "title_card": {"text": "Two"}, "duration": 1.0},
    ],
    "export": {"width": 64, "height": 48, "fps": 8, "texts": [{"text": "hi", "start": 0.01, "end": 0.05}]},
}


def test_a_text_between_two_frames_at_the_asked_rate_is_a_400_and_no_job(
    client: TestClient, tmp_path: Path
) -> None:
    folder = make_film(tmp_path / "film", CARDS)
    try:
        export_project(ProjectFolder.find(folder), overrides={"fps": 12})
    except InvalidRequest as exc:
        in_process = exc.message
    assert "falls between two frames at the film's 12 fps" in in_process
    made = client.post("/v1/projects", data={"project": yaml.safe_dump(CARDS)})
    assert made.status_code == 201, made.text
    project_id = made.json()["id"]
    sent = client.post(f"/v1/projects/{project_id}/export", json={"export_settings": {"fps": 12}})
    assert sent.status_code == 400, sent.text
    error = sent.json()["error"]
    assert error["message"] == in_process
    assert error["param"] == "export.texts[0].end"
    assert client.get(f"/v1/projects/{project_id}").json().get("jobs") in (None, [])
    # At 25 fps the frame at 0.04 s shows it.
    taken = client.post(f"/v1/projects/{project_id}/export", json={"export_settings": {"fps": 25}})
    assert taken.status_code == 202, taken.text

"""A 404 for an id, name or key of 3000 characters quotes it cut short, as ``/v1/videos/{id}`` does."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.test_projects_api import upload
from tests.jobs.projects import make_film

LONG = "x" * 3000


def test_a_long_id_in_a_404_is_cut_short(client: TestClient, tmp_path: Path) -> None:
    project = f"/v1/projects/{upload(client, make_film(tmp_path / 'film')).json()['id']}"
    for url in [
        f"/v1/models/{LONG}",
        f"/v1/projects/{LONG}",
        f"{project}/jobs/{LONG}",
        f"{project}/clips/{LONG}",
        f"{project}/exports/{LONG}.mp4",
    ]:
        resp = client.get(url)
        assert resp.status_code == 404, (url[:80], resp.text[:200])
        message = resp.json()["error"]["message"]
        # Each came back whole: a 3000-character line where one naming the id was meant.
        assert len(message) < 200 and "xxx'..." in message, (url[:80], message[:200])

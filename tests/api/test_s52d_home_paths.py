"""A project file's ``~/...`` path is refused by the server, which read it from its own home folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.api.conftest import files_under, png


@pytest.mark.parametrize("path", ["~/logo.png", "~root/logo.png", "~"])
def test_a_home_path_is_refused_not_read_on_the_server(
    client: TestClient, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    home = tmp_path / "server-home"
    home.mkdir()
    (home / "logo.png").write_bytes(png())  # the server's own file, which the project must not reach
    monkeypatch.setenv("HOME", str(home))
    project = {
        "title": "T",
        "scenes": [{"title_card": {"text": "T"}, "duration": 1}],
        "export": {"watermark": {"image": path}},
    }
    resp = client.post(
        "/v1/projects",
        data={"project": yaml.safe_dump(project)},
        files=[("files", (path, png(colour=(0, 200, 0))))],
    )
    assert resp.status_code == 400, (
        resp.text
    )  # was 201, and the export laid the server's ~/logo.png over the film
    error = resp.json()["error"]
    assert error["param"] in ("export.watermark.image", f"files[{path}]")
    assert f"{path!r} must be a relative path inside the project folder" in error["message"]
    assert "a server reads no other files" in error["message"]
    assert files_under(data_dir / "projects") == []


def test_a_project_stored_with_a_home_path_is_not_exported_from_the_server_s_home(
    client: TestClient, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "server-home"
    home.mkdir()
    (home / "logo.png").write_bytes(png())
    monkeypatch.setenv("HOME", str(home))
    made = client.post(
        "/v1/projects",
        json={"project": {"title": "T", "scenes": [{"title_card": {"text": "T"}, "duration": 1}]}},
    )
    assert made.status_code == 201, made.text
    project_id = made.json()["id"]
    # As a server before the refusal above stored it (its ~/logo.png upload beside it).
    root = data_dir / "projects" / project_id
    (root / "~").mkdir()
    (root / "~" / "logo.png").write_bytes(png(colour=(0, 200, 0)))
    (root / "project.yaml").write_text(
        "title: T\nscenes:\n  - {title_card: {text: T}, duration: 1}\nexport: {watermark: {image: ~/logo.png}}\n"
    )
    for route in ("export", "render"):
        resp = client.post(f"/v1/projects/{project_id}/{route}", json={})
        assert resp.status_code == 400, (
            resp.text
        )  # was 202: the export laid the server's ~/logo.png over the film
        error = resp.json()["error"]
        assert error["param"] == "export.watermark.image"
        assert "'~/logo.png' must be a relative path inside the project folder" in error["message"]
    shown = client.get(f"/v1/projects/{project_id}")
    assert shown.status_code == 200, shown.text  # was a 400, and so was the whole list of projects
    assert shown.json()["problem"]["param"] == "export.watermark.image"
    assert shown.json()["job"] is None
    assert client.get("/v1/projects").status_code == 200

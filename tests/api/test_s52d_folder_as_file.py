"""A project file naming its own folder as a file (``soundtrack: {file: .}``) is a 400 on the server, not a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import files_under


@pytest.mark.parametrize("path", [".", "./", "./."])
def test_the_project_folder_named_as_a_file_is_a_400(client: TestClient, data_dir: Path, path: str) -> None:
    project = {
        "title": "T",
        "scenes": [{"title_card": {"text": "T"}, "duration": 1}],
        "soundtrack": {"file": path},
    }
    resp = client.post("/v1/projects", json={"project": project})
    assert resp.status_code == 400, resp.text  # was 500: "internal error (IndexError)"
    error = resp.json()["error"]
    assert error["param"] == "soundtrack.file"
    assert f"soundtrack.file: {path!r} is the project folder itself, not a file" in error["message"]
    assert "assets/music.mp3" in error["message"]
    assert files_under(data_dir / "projects") == []

"""An empty project file uploaded over HTTP is said to be empty, as the CLI says it, with no CLI hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import files_under


@pytest.mark.parametrize("text", ["\n\n", "# title: Night Drive\n# scenes: ...\n"], ids=["blank", "comments"])
def test_an_empty_project_file_is_said_to_be_empty(client: TestClient, data_dir: Path, text: str) -> None:
    # Was "the project file must be a mapping (title:, scenes: ...)": no mistake the person could see.
    resp = client.post("/v1/projects", data={"project": text})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["param"] == "project"
    assert resp.json()["error"]["message"] == (
        "the project file is empty; give it a title: and its scenes: "
        "(each a prompt or a title_card, and a duration)"
    )
    assert files_under(data_dir / "projects") == []


def test_a_list_is_still_told_it_must_be_a_mapping(client: TestClient) -> None:
    resp = client.post("/v1/projects", data={"project": "- a fox\n- a cat\n"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == "the project file must be a mapping (title:, scenes: ...)"

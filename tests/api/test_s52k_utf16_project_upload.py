"""A project file uploaded as UTF-16 (Windows Notepad's "Unicode") is said to be UTF-16, as the CLI says it."""

from __future__ import annotations

from fastapi.testclient import TestClient

PROJECT = "title: Notepad\nscenes:\n  - {id: a, title_card: {text: One}, duration: 1}\n"


def test_a_utf16_project_upload_is_a_400_saying_utf16(client: TestClient) -> None:
    sent = client.post("/v1/projects", files=[("project", ("project.yaml", PROJECT.encode("utf-16")))])
    assert sent.status_code == 400, sent.text
    error = sent.json()["error"]
    assert error["param"] == "project"
    assert error["message"].startswith(
        "project: the project file is saved as UTF-16, not UTF-8; save it as UTF-8"
    )

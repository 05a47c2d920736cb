"""A text field sent as a file (curl -F prompt=@prompt.txt) is told how to send its text."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_prompt_sent_as_a_file_is_told_to_send_its_text(client: TestClient) -> None:
    resp = client.post(
        "/v1/videos", data={"model": "wan-tiny"}, files={"prompt": ("prompt.txt", b"a fox", "text/plain")}
    )
    assert resp.status_code == 400
    said = resp.json()["error"]["message"]
    assert said.startswith("file field 'prompt' is unknown; valid: ")
    assert "if prompt is a text field, send its text (curl -F 'prompt=<file.txt' reads one in)" in said

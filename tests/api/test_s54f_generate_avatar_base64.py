"""POST /generate-avatar with `audio` or `image` that is not base64 says what to send instead."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("body", "param", "shown"),
    [
        ({"audio": "voice.wav"}, "audio", "'voice.wav'"),
        ({"audio": "https://example.com/voice.mp3"}, "audio", "'https://example.com/voice.mp3'"),
        ({"text": "Hello there", "image": "/home/me/face.png"}, "image", "'/home/me/face.png'"),
    ],
)
def test_a_path_or_url_instead_of_base64_is_told_what_to_send(
    client: TestClient, body: dict[str, str], param: str, shown: str
) -> None:
    resp = client.post("/generate-avatar", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    # It said only "audio: not valid base64": not what was wrong with it, nor what is taken.
    assert error["param"] == param
    assert error["message"].startswith(f"{param}: {shown} is not base64;"), error
    assert "base64 -w0 FILE, or a data: URL" in error["message"]
    assert f"curl -F {param}=@FILE" in error["message"]

"""An empty upload is said to be empty, as a run here says, not "Invalid data found"; a refusal names its field."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient


def test_an_empty_video_to_enhance_is_said_to_be_empty(client: TestClient) -> None:
    resp = client.post("/v1/videos/enhance", files={"file": ("clip.mp4", b"")}, data={"upscale": "2"})
    assert resp.status_code == 400, resp.text
    # It was "not a readable video (Invalid data found when processing input)".
    assert resp.json()["error"]["message"] == (
        "file: not a readable video (the file is empty); valid: MP4/MOV, WebM/MKV"
    )


def test_an_empty_voice_is_said_to_be_empty(client: TestClient) -> None:
    resp = client.post("/v1/avatars", files={"audio": ("v.wav", b"")})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "audio: not a readable audio file (the file is empty); send WAV, MP3, FLAC, OGG, M4A or WebM audio"
    )


def test_a_factor_the_model_cannot_make_names_the_field(client: TestClient, tmp_path: Path) -> None:
    from tests.cli.test_enhance_cli import _clip

    clip = _clip(tmp_path / "in.mp4", frames=3, sound=False).read_bytes()
    form = {"upscale": "2", "upscaler": "realesrgan-x4plus"}
    resp = client.post("/v1/videos/enhance", files={"file": ("clip.mp4", clip)}, data=form)
    assert resp.status_code == 400, resp.text
    # It was "realesrgan-x4plus upscales by x4, not x2; ...": the one refusal not led by its field.
    assert resp.json()["error"]["message"].startswith(
        "upscale 2: realesrgan-x4plus upscales by x4, not x2; models that do x2: realesr-animevideov3"
    )

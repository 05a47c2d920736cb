"""What `reelgen enhance --help` says IN may be agrees with what a server's enhance refuses."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def test_the_help_says_the_kinds_a_server_takes_for_a_still_image(client: TestClient) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, format="PNG")
    resp = client.post(
        "/v1/videos/enhance", data={"interpolate": "2"}, files={"file": ("face.png", buf.getvalue())}
    )
    assert resp.status_code == 400, resp.text
    message = resp.json()["error"]["message"]
    assert message == "file: a PNG image is not a video this takes; valid: MP4/MOV, WebM/MKV"
    assert "reelgen" not in message and "--" not in message  # a server's words give no CLI hints
    help_text = " ".join(CliRunner().invoke(app, ["enhance", "--help"]).output.replace("│", " ").split())
    # It said "Any video file PyAV reads.", which the server (and --server) refused for a PNG and an AVI.
    assert "Any video file PyAV reads" not in help_text
    assert "with --server an MP4/MOV or WebM/MKV file, or a video id of the server" in help_text
    assert "A video FFmpeg decodes (MP4, MOV, MKV, WebM, AVI, an animated GIF ...)" in help_text

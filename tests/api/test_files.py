"""Downloads answer their problems in the error envelope: a file gone before it is sent is a 404."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelgen.api.files import FileAnswer


def test_a_file_deleted_between_the_route_and_the_send_is_a_404_envelope(tmp_path: Path) -> None:
    # A DELETE of the video racing its download: the route saw the file, the send did not (a 500).
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00" * 10)
    app = FastAPI()

    @app.get("/content")
    def content() -> FileAnswer:
        answer = FileAnswer(clip, media_type="video/mp4")
        clip.unlink()
        return answer

    resp = TestClient(app, raise_server_exceptions=False).get("/content")
    assert resp.status_code == 404, resp.text
    assert resp.json()["error"]["code"] == "not_found"

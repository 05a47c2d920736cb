"""A Range with some part in the file gets that part (206); one with none is a 416 saying the file's size."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelgen.api.files import FileAnswer


def _client(tmp_path: Path) -> TestClient:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(bytes(range(100)))
    app = FastAPI()

    @app.get("/content")
    def content() -> FileAnswer:
        return FileAnswer(clip, media_type="video/mp4")

    return TestClient(app)


def test_the_ranges_in_the_file_are_sent_when_another_is_past_its_end(tmp_path: Path) -> None:
    # bytes=0-9,5000- was a 416 for the whole request: RFC 9110 counts it satisfiable by its first part.
    client = _client(tmp_path)
    for asked in ("bytes=0-9,5000-", "bytes=-0,0-9", "bytes=5000-6000, 0-9"):
        resp = client.get("/content", headers={"Range": asked})
        assert resp.status_code == 206, asked
        assert resp.headers["content-range"] == "bytes 0-9/100"
        assert resp.content == bytes(range(10))
    both = client.get("/content", headers={"Range": "bytes=0-1,500-,10-11"})
    assert both.status_code == 206
    assert both.headers["content-type"].startswith("multipart/byteranges")


def test_a_range_naming_no_byte_of_the_file_says_what_the_file_holds(tmp_path: Path) -> None:
    # "bytes=-0" heard it "starts past the end of the file": it asks for the last zero bytes.
    client = _client(tmp_path)
    for asked in ("bytes=100-", "bytes=-0", "bytes=200-300,100-"):
        resp = client.get("/content", headers={"Range": asked})
        assert resp.status_code == 416, asked
        assert resp.headers["content-range"] == "bytes */100"
        assert resp.json()["error"]["message"] == (
            f"Range {asked!r} names no byte of the file; it has 100 bytes (bytes 0 to 99)"
        )

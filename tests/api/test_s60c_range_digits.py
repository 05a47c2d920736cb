"""A Range whose numbers are not plain digits is ignored (the whole file, 200), as RFC 9110 asks of a
range it cannot read: Python's int() read ``bytes=1_0-2_0`` as bytes 10 to 20 and ``bytes=+1-2`` as 1 to 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelgen.api.files import FileAnswer


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(bytes(range(100)))
    app = FastAPI()

    @app.get("/content")
    def content() -> FileAnswer:
        return FileAnswer(clip, media_type="video/mp4")

    return TestClient(app)


@pytest.mark.parametrize(
    "asked", ["bytes=1_0-2_0", "bytes=+1-2", "bytes=0-0x10", "bytes=abc,0-9", "bytes=0-9,x-"]
)
def test_a_range_of_no_plain_digits_sends_the_whole_file(client: TestClient, asked: str) -> None:
    resp = client.get("/content", headers={"Range": asked})
    assert resp.status_code == 200, asked
    assert "content-range" not in resp.headers
    assert resp.content == bytes(range(100))


@pytest.mark.parametrize(
    ("asked", "sent"),
    [("bytes=10-20", "bytes 10-20/100"), ("bytes=-5", "bytes 95-99/100"), ("bytes=90-", "bytes 90-99/100")],
)
def test_a_plain_range_is_still_sent_in_part(client: TestClient, asked: str, sent: str) -> None:
    resp = client.get("/content", headers={"Range": asked})
    assert resp.status_code == 206 and resp.headers["content-range"] == sent

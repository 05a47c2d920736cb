"""A Range on an empty file is answered as RFC 9110 14.1.1 reads it, and as on a file with bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelgen.api.files import FileAnswer


def _client(tmp_path: Path, data: bytes) -> TestClient:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(data)
    app = FastAPI()

    @app.get("/content")
    def content() -> FileAnswer:
        return FileAnswer(clip, media_type="video/mp4")

    return TestClient(app)


@pytest.mark.parametrize("asked", ["bytes=1-0", "bytes=5-2", "bytes=0-9,5-2"])
@pytest.mark.parametrize("data", [b"", bytes(range(10))])
def test_a_range_ending_before_it_starts_is_ignored_whatever_the_size(
    tmp_path: Path, data: bytes, asked: str
) -> None:
    # An empty file answered 416 where a file of 10 bytes sent itself whole, for the same invalid Range.
    resp = _client(tmp_path, data).get("/content", headers={"Range": asked})
    assert resp.status_code == 200, asked
    assert resp.content == data and "content-range" not in resp.headers


@pytest.mark.parametrize("asked", ["bytes=-5", "bytes=0-,-1"])
def test_a_suffix_range_of_an_empty_file_is_satisfiable_and_gets_the_file(tmp_path: Path, asked: str) -> None:
    # "the only satisfiable form of range" on a zero-length representation (RFC 9110 14.1.1); it got a 416.
    resp = _client(tmp_path, b"").get("/content", headers={"Range": asked})
    assert resp.status_code == 200 and resp.content == b""


@pytest.mark.parametrize("asked", ["bytes=0-", "bytes=0-0", "bytes=-0"])
def test_a_range_of_an_empty_file_naming_no_byte_is_still_a_416(tmp_path: Path, asked: str) -> None:
    resp = _client(tmp_path, b"").get("/content", headers={"Range": asked})
    assert resp.status_code == 416
    assert resp.headers["content-range"] == "bytes */0"
    assert (
        resp.json()["error"]["message"]
        == f"Range {asked!r} names no byte of the file; it has 0 bytes (no bytes)"
    )

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


def test_a_copy_the_client_has_is_a_304_and_a_changed_one_the_file(tmp_path: Path) -> None:
    # The ETag went out with every download but was never compared: each revalidation fetched it all.
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x01" * 4096)
    app = FastAPI()

    @app.get("/content")
    def content() -> FileAnswer:
        return FileAnswer(clip, media_type="video/mp4")

    client = TestClient(app)
    first = client.get("/content")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    for asked in (
        {"If-None-Match": etag},
        {"If-None-Match": f'W/{etag}, "other"'},
        {"If-Modified-Since": modified},
    ):
        again = client.get("/content", headers=asked)
        assert again.status_code == 304, asked
        assert again.content == b"" and again.headers["etag"] == etag
    for asked in ({"If-None-Match": '"other"'}, {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}):
        whole = client.get("/content", headers=asked)
        assert whole.status_code == 200 and len(whole.content) == 4096, asked
    # If-None-Match decides when both are sent (RFC 9110): a changed tag is the whole file.
    both = client.get("/content", headers={"If-None-Match": '"other"', "If-Modified-Since": modified})
    assert both.status_code == 200


def test_a_range_past_the_end_with_an_if_range_of_another_version_gets_the_whole_file(tmp_path: Path) -> None:
    """A download manager resuming a file that changed sends the old ETag in If-Range: RFC 9110 says
    the whole current file (200) comes back, whatever the Range; it got a 416 and gave up."""
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x02" * 100)
    app = FastAPI()

    @app.get("/content")
    def content() -> FileAnswer:
        return FileAnswer(clip, media_type="video/mp4")

    client = TestClient(app)
    etag = client.get("/content").headers["etag"]
    stale = {"Range": "bytes=500-", "If-Range": '"an-older-version"'}
    whole = client.get("/content", headers=stale)
    assert whole.status_code == 200 and whole.content == b"\x02" * 100
    assert "content-range" not in whole.headers
    # The same Range with the file's own ETag is still past the end of it: a 416 envelope.
    past = client.get("/content", headers={"Range": "bytes=500-", "If-Range": etag})
    assert past.status_code == 416 and past.json()["error"]["code"] == "range_not_satisfiable"
    part = client.get("/content", headers={"Range": "bytes=90-", "If-Range": etag})
    assert part.status_code == 206 and part.content == b"\x02" * 10
    # A malformed Range with another version's If-Range: the whole file too.
    odd = client.get("/content", headers={"Range": "bytes=oops", "If-Range": '"an-older-version"'})
    assert odd.status_code == 200 and len(odd.content) == 100

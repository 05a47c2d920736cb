"""A streamed body over the upload limit is a 413 on every route that reads one, whatever its type."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient


def _streamed(size: int) -> Iterator[bytes]:
    """A form body with no Content-Length (chunked, as curl -T - or a generator sends it)."""
    yield b'--XX\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n'
    yield b"a" * size
    yield b"\r\n--XX--\r\n"


@pytest.mark.parametrize("path", ["/v1/batches", "/v1/system/free", "/api/video/generate"])
def test_a_streamed_form_over_the_limit_on_a_json_route_is_a_413_not_a_parse_error(
    make_client: Callable[..., TestClient], path: str
) -> None:
    # FastAPI read the body for the JSON route and answered the cap's error as
    # "There was an error parsing the body" (400): nothing said the body was too large.
    client = make_client(max_upload_bytes=1000)
    resp = client.post(
        path, content=_streamed(5000), headers={"Content-Type": "multipart/form-data; boundary=XX"}
    )
    assert resp.status_code == 413, resp.text
    error = resp.json()["error"]
    assert "REELGEN_MAX_UPLOAD_BYTES" in error["message"] and error["code"] == "payload_too_large"
    small = client.post(
        path, content=_streamed(10), headers={"Content-Type": "multipart/form-data; boundary=XX"}
    )
    assert small.status_code == 415, small.text  # under the cap: the route says what it takes

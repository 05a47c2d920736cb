"""The 413 for a body over REELGEN_MAX_UPLOAD_BYTES says the cap in units a person reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from reelgen.api.body_limit import size_words


def test_a_small_cap_is_said_in_kib_with_the_exact_count(make_client: Callable[..., TestClient]) -> None:
    # It read "request body is larger than 0.09537 MiB (100000 bytes)".
    client = make_client(max_upload_bytes=100_000)
    resp = client.post("/v1/videos", content=b"a" * 300_000, headers={"Content-Type": "application/json"})
    assert resp.status_code == 413, resp.text
    message = resp.json()["error"]["message"]
    assert message.startswith(
        "request body is larger than 97.7 KiB (100,000 bytes), the most this server takes"
    )
    assert "REELGEN_MAX_UPLOAD_BYTES" in message


def test_a_streamed_body_hears_the_same_words(make_client: Callable[..., TestClient]) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"x" * 10_000

    client = make_client(max_upload_bytes=100_000)
    resp = client.post("/v1/videos", content=chunks(), headers={"Content-Type": "application/json"})
    assert resp.status_code == 413, resp.text
    assert "larger than 97.7 KiB (100,000 bytes)," in resp.json()["error"]["message"]


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "1 byte"),
        (1000, "1,000 bytes"),
        (1536, "1.5 KiB (1,536 bytes)"),
        (1_048_575, "1 MiB (1,048,575 bytes)"),  # not "1024 KiB"
        (32 * 1024 * 1024, "32 MiB (33,554,432 bytes)"),  # the default cap
        (3 * 2**30, "3 GiB (3,221,225,472 bytes)"),
    ],
)
def test_size_words(count: int, words: str) -> None:
    assert size_words(count) == words

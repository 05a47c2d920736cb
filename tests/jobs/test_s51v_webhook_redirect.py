"""A webhook receiver that redirects is said with a URL the owner can use, or told to ask for one.

The kept error said "give the webhook the URL it points to (https://.../[hidden]?access_token=[hidden])":
a URL its reader cannot give, since its key is hidden.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.jobs.test_s51f_webhook_path_tokens import _one_failed_try


@pytest.fixture
def moved() -> Iterator[tuple[str, list[str]]]:
    """A loopback receiver that answers every POST with 308 to the Location in its list."""
    location: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(308)
            self.send_header("Location", location[0])
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", location
    server.shutdown()


@pytest.mark.parametrize(
    "location",
    [
        "https://hooks.example/v2/hook?access_token=S3CRETS3CRET",
        "https://bot:S3CRETS3CRET@hooks.example/v2/hook",
        "https://hooks.example/services/T0000/B0000/S3CRETS3CRETS3CRETS3CRET",
    ],
)
def test_a_redirect_to_a_url_with_a_key_names_its_host_and_says_ask_its_owner(
    tmp_path: Path, moved: tuple[str, list[str]], location: str
) -> None:
    base, said = moved
    said.append(location)
    error = _one_failed_try(tmp_path, f"{base}/hook")
    assert error == (
        "HTTP 308: redirects are not followed; the receiver redirects to https://hooks.example/...; "
        "ask its owner for the new URL and give that"
    ), error


def test_a_redirect_to_a_url_without_a_key_is_said_whole(
    tmp_path: Path, moved: tuple[str, list[str]]
) -> None:
    base, said = moved
    said.append("/hooks/v2")
    error = _one_failed_try(tmp_path, f"{base}/hook")
    assert error == (
        f"HTTP 308: redirects are not followed; the receiver redirects to {base}/hooks/v2; "
        "give the webhook that URL"
    ), error

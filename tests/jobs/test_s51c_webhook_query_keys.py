"""A key in a webhook URL's query reaches the receiver and stays out of the server's log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.webhooks import WebhookSender, shown_url
from tests.jobs.helpers import create, request, wait_for


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[str]]]:
    """A loopback endpoint: ``/moved`` redirects to a URL with a token, anything else answers 401."""
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            paths.append(self.path)
            if self.path.startswith("/moved"):
                self.send_response(308)
                self.send_header("Location", "/hooks/v2?access_token=MOVEDSECRET&v=2")
            else:
                self.send_response(401)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", paths
    server.shutdown()


def _deliver(tmp_path: Path, url: str) -> None:
    """One job's "queued" event sent to ``url`` until given up (two attempts, no pause)."""
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    settings = JobSettings(
        data_dir=tmp_path,
        webhook_secret=SecretStr("k"),
        allow_private_webhooks=True,
        webhook_max_attempts=2,
        webhook_backoff_s=0,
    )
    sender = WebhookSender(store, settings)
    sender.start()
    try:
        create(store, request(), webhook_url=url, webhook_events=["queued"])
        wait_for(lambda: store.pending_webhooks() == 0, timeout_s=10, what="the delivery given up")
    finally:
        sender.stop()
        store.close()


def test_a_token_in_the_query_reaches_the_receiver_and_no_log_line(
    tmp_path: Path, receiver: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    """Only a user and password were hidden: ``?token=SECRET`` was in each failure's log line."""
    base, paths = receiver
    caplog.set_level(logging.DEBUG)
    _deliver(tmp_path, f"{base}/hook?token=SECRET&sig=SIGSECRET&page=2")
    assert paths == ["/hook?token=SECRET&sig=SIGSECRET&page=2"] * 2
    assert "SECRET" not in caplog.text
    assert f"webhook {base}/hook?token=[hidden]&sig=[hidden]&page=2 for video_" in caplog.text
    assert "HTTP 401 (attempt 1 of 2; the next in 0 s)" in caplog.text


def test_a_token_in_a_redirect_the_receiver_answers_stays_out_of_the_log(
    tmp_path: Path, receiver: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    base, _ = receiver
    caplog.set_level(logging.DEBUG)
    _deliver(tmp_path, f"{base}/moved?key=SECRET")
    assert "SECRET" not in caplog.text
    assert f"the receiver redirects to {base}/...; ask its owner for the new URL" in caplog.text  # 961f9b88


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://fn.example/api/hook?code=AZ%3D%3D", "https://fn.example/api/hook?code=[hidden]"),
        (
            "https://b.example/o?X-Amz-Signature=ab12&X-Amz-Credential=AK&x=1",
            "https://b.example/o?X-Amz-Signature=[hidden]&X-Amz-Credential=[hidden]&x=1",
        ),
        (
            "https://h.example/?apiKey=k1#access_token=k2",
            "https://h.example/?apiKey=[hidden]#access_token=[hidden]",
        ),
        ("https://u:pw@h.example/h?api_key=k&id=7", "https://***@h.example/h?api_key=[hidden]&id=7"),
        ("https://h.example/h?page=2&token=", "https://h.example/h?page=2&token="),
        ("https://h.example/hooks/T1/B2", "https://h.example/hooks/T1/B2"),
    ],
)
def test_key_like_query_values_are_hidden_and_the_rest_is_kept(url: str, shown: str) -> None:
    assert shown_url(url) == shown

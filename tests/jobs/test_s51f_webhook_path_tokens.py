"""A token in a webhook URL's path (Slack's, Discord's) reaches the receiver and stays out of the log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from reelgen.jobs.schema import webhooks as webhooks_t
from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.webhooks import WebhookSender
from tests.jobs.helpers import create, request, wait_for

SLACK = "/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"
DISCORD = "/api/webhooks/123456789012345678/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-Q7"


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[str]]]:
    """A loopback endpoint that answers every POST with a redirect to the other service's path."""
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            paths.append(self.path)
            self.send_response(308)
            self.send_header("Location", DISCORD if self.path == SLACK else SLACK)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", paths
    server.shutdown()


def _one_failed_try(tmp_path: Path, url: str) -> str:
    """One job's "queued" event sent to ``url`` once (the next try an hour away); the error kept."""
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    settings = JobSettings(
        data_dir=tmp_path,
        webhook_secret=SecretStr("k"),
        allow_private_webhooks=True,
        webhook_max_attempts=3,
        webhook_backoff_s=3600,
    )
    sender = WebhookSender(store, settings)
    sender.start()
    kept = sa.select(webhooks_t.c.last_error).where(webhooks_t.c.attempts == 1)

    def error() -> str | None:
        with store.engine.connect() as conn:
            return conn.execute(kept).scalar()

    try:
        create(store, request(), webhook_url=url, webhook_events=["queued"])
        return wait_for(error, timeout_s=10, what="the first try's error kept")
    finally:
        sender.stop()
        store.close()


@pytest.mark.parametrize(
    ("path", "shown", "elsewhere"),
    [
        (SLACK, "/services/T0000/B0000/[hidden]", "/api/webhooks/123456789012345678/[hidden]"),
        (DISCORD, "/api/webhooks/123456789012345678/[hidden]", "/services/T0000/B0000/[hidden]"),
    ],
)
def test_a_token_in_the_path_reaches_the_receiver_and_no_log_line_nor_kept_error(
    tmp_path: Path,
    receiver: tuple[str, list[str]],
    caplog: pytest.LogCaptureFixture,
    path: str,
    shown: str,
    elsewhere: str,
) -> None:
    """Only a user and password and query keys were hidden: the whole Slack URL was in the log."""
    base, paths = receiver
    caplog.set_level(logging.DEBUG)
    error = _one_failed_try(tmp_path, base + path)
    assert paths == [path]
    tokens = ("XXXXXXXXXXXXXXXXXXXXXXXX", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-Q7")
    assert not [token for token in tokens if token in caplog.text or token in error]
    assert f"webhook {base}{shown} for video_" in caplog.text
    assert f"POST {base}{shown} " in caplog.text  # httpx's request line
    # The redirect's own token is not shown either (test_s51v_webhook_redirect.py: only its host).
    assert elsewhere not in error and error.endswith(
        f"redirects to {base}/...; ask its owner for the new URL and give that"
    )


def test_a_plain_path_is_logged_as_it_is(
    tmp_path: Path, receiver: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    base, _ = receiver
    caplog.set_level(logging.WARNING, logger="reelgen.jobs.webhooks")
    _one_failed_try(tmp_path, f"{base}/hooks/reelgen")
    assert f"webhook {base}/hooks/reelgen for video_" in caplog.text

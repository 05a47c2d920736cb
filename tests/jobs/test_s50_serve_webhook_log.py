"""Each failed webhook try is logged naming the event it carried, not the URL alone."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.webhooks import WebhookSender
from tests.jobs.helpers import create, request, wait_for


def test_a_failed_try_names_its_event(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Every job's deliveries to one receiver logged the same "webhook URL failed: HTTP 500" line, so
    # an operator could not tell which event was waiting, nor that a later one was not lost.
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    caplog.set_level(logging.WARNING, logger="reelgen.jobs.webhooks")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        job = create(store, request(), webhook_url=url, webhook_events=["queued"])
        wait_for(lambda: store.pending_webhooks() == 0, timeout_s=10, what="the delivery given up")
    finally:
        sender.stop()
        server.shutdown()
        store.close()
    assert (
        f"webhook {url} for {job.id}:1 (video.queued) failed: HTTP 500 (attempt 1 of 2; the next in 0 s)"
        in caplog.text
    )
    assert f"webhook {url} for {job.id}:1 (video.queued) gave up after 2 attempts: HTTP 500" in caplog.text

"""A loopback webhook receiver and a webhook sender over a fresh store, for the webhook log tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from reelgen.jobs.settings import JobSettings
from reelgen.jobs.store import JobStore
from reelgen.jobs.webhooks import WebhookSender

#: What the receiver answers a POST to a path with: a status and, for a redirect, its Location.
Answer = Callable[[str], tuple[int, str | None]]


@contextmanager
def receiving(answer: Answer) -> Iterator[tuple[str, list[str]]]:
    """A loopback endpoint answering each POST as ``answer`` says; yields its base URL and the paths
    it was sent to, in order."""
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            paths.append(self.path)
            status, location = answer(self.path)
            self.send_response(status)
            if location is not None:
                self.send_header("Location", location)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", paths
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def sending(tmp_path: Path, *, max_attempts: int, backoff_s: float) -> Iterator[JobStore]:
    """A store in ``tmp_path`` whose webhooks a started sender delivers (private hosts allowed)."""
    store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    settings = JobSettings(
        data_dir=tmp_path,
        webhook_secret=SecretStr("k"),
        allow_private_webhooks=True,
        webhook_max_attempts=max_attempts,
        webhook_backoff_s=backoff_s,
    )
    sender = WebhookSender(store, settings)
    sender.start()
    try:
        yield store
    finally:
        sender.stop()
        store.close()

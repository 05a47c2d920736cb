"""A real HTTP server on loopback over a started job service, in a thread: a URL for clients and the CLI."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from tests.jobs.conftest import family_known, start_service
from tests.jobs.helpers import wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(service: JobService) -> Iterator[str]:
    """``service`` behind the API on a free loopback port, as `reelgen serve` answers; yields its URL."""
    settings = ApiSettings(jobs=service.settings, serve_web=False, poll_after_ms=100)
    with serving_app(create_app(settings, service=service)) as url:
        yield url


@contextmanager
def serving_jobtest(data_dir: Path) -> Iterator[str]:
    """A started job service over ``data_dir``, its worker rendering the jobtest family, behind the API:
    one a test module can share (each test waits for its own jobs to end); yields its URL."""
    with family_known():
        service = start_service(data_dir)
        try:
            with serving(service) as url:
                yield url
        finally:
            service.stop()


@contextmanager
def checking_only(data_dir: Path) -> Iterator[str]:
    """The API on loopback with no workers: a create is checked (and refused) as `reelgen serve` does."""
    settings = ApiSettings(jobs=JobSettings(data_dir=data_dir), serve_web=False)
    with serving_app(create_app(settings, start_service=False)) as url:
        yield url


@contextmanager
def serving_app(app: Any) -> Iterator[str]:
    """``app`` on a free loopback port, in a thread; yields its URL."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-api", daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, timeout_s=60, what="the API to listen")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)

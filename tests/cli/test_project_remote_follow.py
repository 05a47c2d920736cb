"""`reelgen project render --server` follows its job through a server restart, as `watch` and `batch` do."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from reelgen.api.sse import format_event
from reelgen.cli import project_remote

SERVER = "http://reelgen.test"


def test_a_render_followed_on_a_server_rides_out_its_restart(monkeypatch: pytest.MonkeyPatch) -> None:
    # Its 20 reconnects were made back to back, so a server down for a moment ended the follow at once.
    monkeypatch.setattr(project_remote, "RECONNECT_S", 0.05)
    job = {"id": "pjob_1", "status": "completed"}
    back_at = time.monotonic() + 0.3

    def handler(request: httpx.Request) -> httpx.Response:
        if time.monotonic() < back_at:
            raise httpx.ConnectError("connection refused")
        body = format_event("completed", {"job": job}, event_id=1)
        return httpx.Response(200, text=body, headers={"Content-Type": "text/event-stream"})

    remote = project_remote.Remote(SERVER, None, folder=None)  # type: ignore[arg-type]
    remote.__dict__["http"] = httpx.Client(base_url=SERVER, transport=httpx.MockTransport(handler))
    queued: dict[str, Any] = {"id": "pjob_1", "status": "queued"}
    assert remote.follow("proj_1", queued, quiet=True)["status"] == "completed"

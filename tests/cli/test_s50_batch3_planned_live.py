"""`reelgen batch --server` prints an item the server failed or skipped as it planned the batch as soon
as the server tells of it (the batch's ``planned_ends``), not only when the whole batch has ended."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest
from rich.console import Console

from reelgen.cli import remote

BAD = "items[1].motion.end: (900, 0) is outside the 512x512 image; keep it inside"
FAILED = {"output": "bad", "status": "failed", "reason": BAD, "code": "motion_out_of_bounds"}


def _batch(status: str, **more: Any) -> dict[str, Any]:
    counts = {"total": 2, "queued": 0, "in_progress": 0, "completed": 1, "failed": 1, "cancelled": 0}
    return {"id": "video_1", "status": status, "request_counts": counts, **more}


def _stream() -> str:
    events = [
        ("open", {"id": "video_1"}),
        ("batch", _batch("in_progress", planned_ends=[FAILED])),
        ("item", {"key": "fox", "job_id": "video_2", "status": "completed", "error": None}),
        ("completed", _batch("completed", summary={"failed": [FAILED], "skipped": []})),
    ]
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def test_a_planned_failure_is_printed_when_the_server_tells_of_it_and_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/batches/video_1/events"
        return httpx.Response(200, text=_stream(), headers={"Content-Type": "text/event-stream"})

    def client(server: str, api_key: str | None, read_s: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=server, transport=httpx.MockTransport(answer))

    out = io.StringIO()
    monkeypatch.setattr(remote, "_client", client)
    monkeypatch.setattr(remote, "console", Console(file=out, width=200))
    done = remote.follow("http://server", None, "/v1/batches/video_1", _batch("in_progress"), "batch", False)
    assert done["status"] == "completed"
    # The item lines print without -q (quiet leaves them out, as in process); the bar's line aside.
    lines = [line for line in out.getvalue().splitlines() if line.strip() and "━" not in line]
    assert lines == [f"bad: failed {BAD}", "fox: done (video_2)"]

"""``StreamEndingServer``: a stop ends the open event streams at once, and a normal request keeps its grace."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route

from reelgen.api import sse
from reelgen.api.stopping import StreamEndingServer
from tests.service.server import free_port


def _app(release: threading.Event, asked: threading.Event) -> Starlette:
    wakeups = sse.Wakeups()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        wakeups.bind(asyncio.get_running_loop())
        yield

    async def slow(request: Request) -> PlainTextResponse:
        """A request that is still being answered when the stop comes (an upload, a download)."""
        asked.set()
        while not release.is_set():
            await asyncio.sleep(0.02)
        return PlainTextResponse("done")

    async def nothing_new(after: int) -> list[sse.StreamEvent]:
        return []

    async def not_final() -> bool:
        return False

    async def events(request: Request) -> StreamingResponse:
        frames = sse.follow(
            nothing_new, 0, signal=asyncio.Event(), poll_s=60, is_final=not_final, wakeups=wakeups
        )
        return StreamingResponse(frames, media_type="text/event-stream")

    app = Starlette(routes=[Route("/slow", slow), Route("/events", events)], lifespan=lifespan)
    app.state.wakeups = wakeups
    return app


@pytest.mark.timeout(120)
def test_a_stop_ends_the_stream_at_once_and_lets_a_slow_request_finish() -> None:
    release, asked = threading.Event(), threading.Event()
    port = free_port()
    config = uvicorn.Config(
        _app(release, asked), host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=60
    )
    server = StreamEndingServer(config)
    thread = threading.Thread(target=server.run, daemon=True)  # not the main thread: no signal handlers
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        with ThreadPoolExecutor(1) as pool, httpx.Client(base_url=url, timeout=20) as http:
            slow = pool.submit(httpx.get, f"{url}/slow", timeout=60)
            assert asked.wait(20)
            with http.stream("GET", "/events") as resp:
                lines = resp.iter_lines()
                assert [next(lines), next(lines)] == ["retry: 1000", "event: open"]
                server.should_exit = True
                # Before, this waited the whole 60 s grace (here: the 20 s read timeout, an error).
                rest = list(lines)
            assert ": server stopping" in rest
            assert not slow.done()  # the stream ended while the slow request was still being answered
            release.set()
            answer = slow.result(timeout=30)
        assert (answer.status_code, answer.text) == (200, "done")  # it got its grace, not a cut-off
        thread.join(30)
        assert not thread.is_alive()
    finally:
        release.set()
        server.should_exit = True
        thread.join(30)

"""POST /generate-video waits for its job without holding a thread: many waiting stall no other route."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from tests.api.serving import free_port
from tests.jobs.helpers import wait_for

#: Long beside the answers timed below: a stalled route answers only once the waits run out, and a
#: busy two-core machine took 2.5 s to answer a list that did not stall (a 3.5 s wait, 1.5 s allowed).
WAIT_S = 10.0
#: More than Starlette's 40 threads for sync routes, each of which a waiting call used to hold.
CALLERS = 45


@pytest.fixture
def quiet(tmp_path: Path) -> Iterator[tuple[str, JobService]]:
    """The API on loopback over a store with no workers: every job stays queued."""
    service = JobService(JobSettings(data_dir=tmp_path / "server"))
    settings = ApiSettings(jobs=service.settings, serve_web=False, wait_timeout_s=WAIT_S)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, service=service, start_service=False),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, timeout_s=30, what="the API to listen")
        yield f"http://127.0.0.1:{port}", service
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_callers_waiting_on_generate_video_leave_healthz_and_the_api_answering(
    quiet: tuple[str, JobService],
) -> None:
    url, service = quiet

    async def scenario() -> tuple[float, float, set[int]]:
        limits = httpx.Limits(max_connections=CALLERS + 5)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
            body = {"prompt": "a fox", "model": "reelgen-micro"}
            waiting = [asyncio.create_task(http.post("/generate-video", json=body)) for _ in range(CALLERS)]
            while service.counts().get("queued", 0) < CALLERS:  # every caller is waiting now
                await asyncio.sleep(0.05)
            began = time.monotonic()
            assert (await http.get("/healthz")).status_code == 200
            health_s = time.monotonic() - began
            began = time.monotonic()
            assert (await http.get("/v1/videos", params={"limit": 1})).status_code == 200
            list_s = time.monotonic() - began
            answers = await asyncio.gather(*waiting)
        return health_s, list_s, {a.status_code for a in answers}

    # On a thread of its own: a browser test's Playwright in this worker keeps a loop running here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        health_s, list_s, statuses = pool.submit(asyncio.run, scenario()).result()
    # Each stalled until the waits ran out (WAIT_S) when every thread was waiting.
    assert health_s < WAIT_S / 2 and list_s < WAIT_S / 2, (health_s, list_s)
    assert statuses == {202}  # not finished in time: the status, to poll

"""A stopping server answers a caller waiting on POST /generate-video with the job as it stands, at once."""

from __future__ import annotations

import concurrent.futures
import threading
from pathlib import Path

import httpx
import uvicorn

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.api.stopping import StreamEndingServer
from reelgen.jobs.service import JobService
from reelgen.jobs.settings import JobSettings
from tests.api.serving import free_port
from tests.jobs.helpers import wait_for


def test_a_caller_waiting_for_its_video_hears_202_when_the_server_stops(tmp_path: Path) -> None:
    # The wait held the stop for uvicorn's whole grace and was then cut off: the caller got no answer
    # and no job id to ask about once the server was back.
    service = JobService(JobSettings(data_dir=tmp_path / "server"))
    settings = ApiSettings(jobs=service.settings, serve_web=False, wait_timeout_s=120)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, service=service, start_service=False),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=120,
    )
    server = StreamEndingServer(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, timeout_s=30, what="the API to listen")
        body = {"prompt": "a fox", "model": "reelgen-micro"}
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            url = f"http://127.0.0.1:{port}/generate-video"
            waiting = pool.submit(httpx.post, url, json=body, timeout=20)
            wait_for(lambda: service.counts().get("queued", 0) == 1, timeout_s=30, what="the job queued")
            server.should_exit = True
            answer = waiting.result(timeout=30)  # before: a read timeout, the wait still held
        assert answer.status_code == 202, answer.text
        assert answer.json()["job_id"] == service.list(limit=1).items[0].id
        thread.join(30)
        assert not thread.is_alive()
    finally:
        server.should_exit = True
        thread.join(30)

"""A DNS-rebinding page cannot pass the Host check by naming Starlette's test client in X-Forwarded-For."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings


def _status(data_dir: Path, headers: dict[str, str]) -> int:
    """GET /v1/videos as ``reelgen serve`` hears a browser on this machine: uvicorn's proxy-header
    middleware (on by default, trusting 127.0.0.1) in front of the app, the peer 127.0.0.1."""
    app = create_app(ApiSettings(jobs=JobSettings(data_dir=data_dir), serve_web=False), start_service=False)
    transport = httpx.ASGITransport(app=ProxyHeadersMiddleware(app, trusted_hosts="127.0.0.1"))

    async def get() -> int:
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            return (await client.get("/v1/videos", headers=headers)).status_code

    return asyncio.run(get())


def test_x_forwarded_for_testclient_does_not_pass_a_rebinding_host(data_dir: Path) -> None:
    # uvicorn made the client "testclient" from the header, which the guard trusted as Starlette's
    # in-process transport: a page on evil.example (rebound to 127.0.0.1) read and made jobs.
    rebound = {"Host": "evil.example:8000", "X-Forwarded-For": "testclient"}
    assert _status(data_dir, rebound) == 400
    assert _status(data_dir, {"Host": "evil.example:8000"}) == 400
    assert _status(data_dir, {"Host": "127.0.0.1:8000", "X-Forwarded-For": "testclient"}) == 200

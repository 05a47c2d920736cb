"""A DNS-rebinding page cannot pass the Host check by naming Starlette's test client in X-Forwarded-For."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
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


@pytest.mark.usefixtures("no_running_loop")  # asyncio.run here, as a served app
def test_x_forwarded_for_testclient_does_not_pass_a_rebinding_host(data_dir: Path) -> None:
    # uvicorn made the client "testclient" from the header, which the guard trusted as Starlette's
    # in-process transport: a page on evil.example (rebound to 127.0.0.1) read and made jobs.
    rebound = {"Host": "evil.example:8000", "X-Forwarded-For": "testclient"}
    assert _status(data_dir, rebound) == 400
    assert _status(data_dir, {"Host": "evil.example:8000"}) == 400
    assert _status(data_dir, {"Host": "127.0.0.1:8000", "X-Forwarded-For": "testclient"}) == 200


def _answer(app: Any, url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """GET ``url`` through the app as a socket bound to the URL's address would hand it over."""

    async def get() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
            return await client.get(url, headers=headers)

    return asyncio.run(get())


@pytest.mark.usefixtures("no_running_loop")  # asyncio.run here, as a served app
def test_an_unkeyed_app_served_beyond_loopback_answers_nobody_there(data_dir: Path) -> None:
    # `uvicorn --factory reelgen.api.app:create_app --host 0.0.0.0` (reelgen serve refuses this bind
    # without a key) answered anyone on the network who sent "Host: 127.0.0.1", with no key at all.
    jobs = JobSettings(data_dir=data_dir)
    bare = create_app(ApiSettings(jobs=jobs, serve_web=False), start_service=False)
    lan = _answer(bare, "http://192.168.1.5:8000/v1/videos", {"Host": "127.0.0.1:8000"})
    assert lan.status_code == 403 and lan.json()["error"]["code"] == "no_api_key"
    assert "REELGEN_API_KEY" in lan.json()["error"]["message"]
    assert _answer(bare, "http://127.0.0.1:8000/v1/videos").status_code == 200
    assert _answer(bare, "http://[::1]:8000/v1/videos").status_code == 200
    keyed = create_app(
        ApiSettings(jobs=jobs, serve_web=False, host="0.0.0.0", api_key=SecretStr("k")), start_service=False
    )
    assert _answer(keyed, "http://192.168.1.5:8000/v1/videos").status_code == 401
    with_key = _answer(keyed, "http://192.168.1.5:8000/v1/videos", {"Authorization": "Bearer k"})
    assert with_key.status_code == 200

"""REELGEN_ALLOWED_HOSTS: a name listed alone is taken on any port, one listed as name:port on that port only."""

from __future__ import annotations

import concurrent.futures

import anyio
import httpx
import pytest
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from reelgen.api.guard import EdgeGuard
from reelgen.api.settings import ApiSettings


async def _ok(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("ok")(scope, receive, send)


def _answers(allowed: str, hosts: list[str]) -> dict[str, tuple[int, str]]:
    """What a server listing ``allowed`` answers each Host; through httpx's ASGI transport, which the
    guard treats as the network (Starlette's test client is let through on any Host)."""
    guard = EdgeGuard(_ok, ApiSettings(allowed_hosts=allowed))

    async def ask() -> dict[str, tuple[int, str]]:
        transport = httpx.ASGITransport(app=guard)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            said = {}
            for host in hosts:
                resp = await client.get("/v1/videos", headers={"Host": host})
                said[host] = (resp.status_code, resp.text)
            return said

    # On a thread of its own: a browser test run earlier on this xdist worker leaves Playwright's
    # event loop on the main thread, where a second loop refuses to start.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, ask).result()


def test_a_name_listed_with_a_port_is_taken_on_that_port_only() -> None:
    # Listed as studio.lan:8443, Host studio.lan:9999 was taken all the same: the port was dropped.
    said = _answers(
        "studio.lan:8443", ["studio.lan:8443", "STUDIO.LAN:8443", "studio.lan:9999", "studio.lan"]
    )
    assert said["studio.lan:8443"][0] == said["STUDIO.LAN:8443"][0] == 200
    status, text = said["studio.lan:9999"]
    assert status == 400 and "invalid_host" in text
    assert (
        "REELGEN_ALLOWED_HOSTS lists studio.lan:8443" in text and "list studio.lan alone for any port" in text
    )
    assert said["studio.lan"][0] == 400  # no port in Host is port 80 or 443, not 8443


def test_a_name_listed_alone_is_taken_on_any_port_and_a_default_port_without_one() -> None:
    said = _answers("studio.lan,web.lan:443", ["studio.lan", "studio.lan:9999", "web.lan", "web.lan:80"])
    assert said["studio.lan"][0] == said["studio.lan:9999"][0] == 200
    assert said["web.lan"][0] == 200  # a browser at https://web.lan/ leaves the 443 out
    assert said["web.lan:80"][0] == 400


@pytest.mark.parametrize("entry", ["studio.lan:0", "studio.lan:99999", "[::1]:70000"])
def test_a_listed_port_no_host_can_carry_stops_the_start(entry: str) -> None:
    with pytest.raises(ValueError, match="ports run from 1 to 65535"):
        ApiSettings(allowed_hosts=entry)

"""A running card when its server is stopped and started again: it follows the server as soon as it is back."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Route, expect

from reelgen.api.sse import format_event
from tests.web.conftest import Tab
from tests.web.test_page_offline import Restartable, shown_running


def test_a_running_card_reconnects_as_soon_as_the_server_is_back(
    tmp_path: Path, tab: Callable[..., Tab]
) -> None:
    """The card's stream ended while the job ran and the server then stopped. Once the page sees the
    server again (the offline line goes), the card asks for the events at once, not after its backoff
    or the server's retry (12-18 s here after a failed try), and stops saying "reconnecting" when it is connected."""
    server = Restartable(tmp_path / "server")
    server.start()
    try:
        video = server.served.create(model="reelgen-micro")
        t = tab()
        step = {"stage": "denoise", "step": 3, "total": 20, "progress": 15, "eta_s": 30}
        # The first stream tells of step 3, asks for 7.5 s between reconnects and ends; every later one
        # is the server's own. The page waits 6-9 s (the retry, give or take a fifth) before its first
        # try, and after a failed one twice that, held at 15 s: 12-18 s, as long as a retry of a minute
        # would have it wait then, with the first try a quarter of a minute sooner.
        first = format_event("open", {"after": 0}, retry_ms=7_500)
        first += format_event("progress", step, event_id=2)
        asked: list[str | None] = []

        def events(route: Route) -> None:
            asked.append(route.request.headers.get("last-event-id"))
            if len(asked) == 1:
                route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=first)
            else:
                route.fallback()

        t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), shown_running(video["id"]))
        t.context.route(f"**/v1/videos/{video['id']}/events", events)
        page = t.open(server.served.url)
        card = page.locator(f'.card[data-id="{video["id"]}"]')
        step_line = card.locator(".step")
        expect(step_line).to_have_text("No word from the server; reconnecting…")

        server.stop()
        offline = page.locator("#offline")
        expect(offline).to_be_visible()
        # One try while the server is down (6-9 s after the first stream ended) fails: the next would
        # be 12-18 s after it, long after the server is back.
        deadline = time.monotonic() + 30
        while len(asked) < 2:
            assert time.monotonic() < deadline, asked
            page.wait_for_timeout(200)
        server.start()
        expect(offline).to_be_hidden(timeout=10_000)
        # Asked again as soon as the server answers, and said so once connected (nothing newer to tell).
        expect(step_line).to_have_text("Connected again; waiting for the next step…", timeout=5_000)
        assert asked[-1] == "2"
        assert card.get_attribute("data-stream") == "live"
        assert t.errors == []
        page.goto("about:blank")  # the open stream would hold the server's shutdown
    finally:
        if server.running:
            server.stop()

"""With every waiting job on a card, the queue says nothing of jobs without one (the gap itself: test_s44_queue_order)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_the_queue_with_every_waiting_job_shown_says_nothing_more(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = quiet_server.create(model="reelgen-micro", prompt="the only one")
    t = tab()
    try:
        page = t.open(quiet_server.url)
        expect(page.locator(f'.card[data-id="{made["id"]}"]')).to_have_attribute("data-status", "queued")
        expect(page.locator("#queue-summary")).to_contain_text("waiting")
        expect(page.locator("#queue-gap")).to_be_hidden()
        assert t.errors == []
    finally:
        quiet_server.http.delete(f"/v1/videos/{made['id']}")

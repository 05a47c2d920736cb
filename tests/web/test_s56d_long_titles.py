"""A long prompt was cut to three lines on its queue card and gallery card, ending in "…", and nothing on the
page showed the rest; a card whose title is cut now has a "Show the whole prompt" button (and "Show less"),
and a card whose title fits has none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, expect

from tests.web.conftest import Served, Tab, listing

LONG = "a lighthouse keeper climbs the spiral stairs at dusk, " * 12


def test_a_cut_title_can_be_read_whole(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    long = quiet_server.create(model="reelgen-micro", prompt=LONG.strip())
    short = quiet_server.create(model="reelgen-micro", prompt="a short prompt")
    done: dict[str, Any] = {
        **long,
        "status": "completed",
        "progress": 100,
        "completed_at": long["created_at"],
    }
    t = tab((390, 800))
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([done]))
    page = t.open(quiet_server.url)

    queued = page.locator(f'#cards .card[data-id="{long["id"]}"]')
    _unfolds(queued)
    expect(page.locator(f'#cards .card[data-id="{short["id"]}"] .title-fold')).to_be_hidden()

    page.locator("#tab-gallery").click()
    _unfolds(page.locator(f'.gallery-item[data-id="{long["id"]}"]'))
    assert t.errors == []
    for made in (long, short):
        quiet_server.http.delete(f"/v1/videos/{made['id']}")


def _unfolds(card: Locator) -> None:
    title = card.locator(".card-title")
    cut = title.evaluate("t => t.getBoundingClientRect().height")
    toggle = card.get_by_role("button", name="Show the whole prompt")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    toggle.press("Enter")
    expect(card.get_by_role("button", name="Show less")).to_have_attribute("aria-expanded", "true")
    whole = title.evaluate("t => t.getBoundingClientRect().height")
    assert whole > 2 * cut, (cut, whole)
    assert title.evaluate("t => t.scrollHeight <= t.clientHeight + 1")  # nothing of it hidden now

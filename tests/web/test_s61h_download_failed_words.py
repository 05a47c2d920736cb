"""A Download that failed (the server stopped, or answered with an error) left only the bare reason on
the card ("the server is not answering; it may be stopped or restarting") under a finished video,
saying nothing of what had failed; a failed Delete beside it said "Not deleted: ...". A failed download
now says "Not downloaded: ..." on the queue's card and on the gallery's item alike."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab
from tests.web.test_page_delete import finished

UNPLAYABLE = "This browser cannot play this video; Download it to watch it in a player."
DOWN = "the server is not answering; it may be stopped or restarting"


def test_a_failed_download_says_it_was_not_downloaded(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    video = finished(quiet_server, "a fox that would not come down")
    t = tab()
    page = t.open(quiet_server.url)
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator(".card-error")).to_have_text(UNPLAYABLE)  # the player asked for the file and gave up

    def refuse(route: Route) -> None:
        route.abort("connectionrefused")

    page.route(f"**/v1/videos/{video['id']}/content*", refuse)
    card.get_by_role("button", name="Download").click()
    expect(card.locator(".card-error")).to_have_text(f"Not downloaded: {DOWN}")

    page.unroute(f"**/v1/videos/{video['id']}/content*", refuse)  # the gallery's player asks for it again
    page.locator("#tab-gallery").click()
    item = page.locator(f'.gallery-item[data-id="{video["id"]}"]')
    expect(item.locator(".card-error.gone")).to_have_text(UNPLAYABLE)
    page.route(f"**/v1/videos/{video['id']}/content*", refuse)
    item.get_by_role("button", name="Download").click()
    expect(item.locator('.card-error[role="alert"]')).to_have_text(f"Not downloaded: {DOWN}")
    assert t.errors == []

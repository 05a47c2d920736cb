"""An ended queue card whose video is deleted elsewhere (another tab, a script) says so by itself.

With the page open in two tabs, a cancelled video deleted in one stayed in the other as it was, its Remix
and Delete offered, for as long as the tab stayed open: only pressing one of them told it the video was
gone. The queue now checks its ended cards against the server's newest jobs as it polls.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_a_card_deleted_in_another_tab_says_so(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    video = quiet_server.create(model="reelgen-micro", prompt="deleted in the other tab")
    assert quiet_server.http.post(f"/v1/videos/{video['id']}/cancel").status_code == 200
    t = tab()
    page = t.open(quiet_server.url)
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator(".status")).to_have_text("Cancelled")
    assert card.get_by_role("button").all_inner_texts() == ["Remix", "Delete"]
    assert quiet_server.http.delete(f"/v1/videos/{video['id']}").status_code == 200
    expect(card.locator(".card-error")).to_have_text(
        "“\u2068deleted in the other tab\u2069” is no longer on the server: it was deleted (in another tab or by a script)."
    )
    assert card.get_by_role("button").all_inner_texts() == ["Delete"]
    card.get_by_role("button", name="Delete").click()  # the server's 404: the card goes
    expect(card).to_have_count(0)
    assert t.errors == []

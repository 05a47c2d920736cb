"""An empty gallery said "No finished videos yet. Make one in Create." with no way there but the tabs, above
a pager of two greyed buttons and "Page 1"; "Create" is now a link to the form, and a gallery of one page
shows no pager."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_an_empty_gallery_leads_to_create(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([]))
    page = t.open(f"{quiet_server.url}/#gallery")
    empty = page.locator("#gallery-empty")
    expect(empty).to_have_text("No finished videos yet. Make one in Create.")
    expect(page.get_by_role("navigation", name="Gallery pages")).to_be_hidden()
    empty.get_by_role("link", name="Create").click()
    expect(page.locator("#f-prompt")).to_be_visible()
    assert page.url.endswith("#create")
    assert t.errors == []

"""The browser's Back and Forward between the page's views: each switch replaced the URL's entry, so Back
left the page at once instead of going to the view before; and the skip link took Gallery to Create."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.web.conftest import Served, Tab


def on(page: Page, view: str) -> None:
    """``view`` is the one on screen, its tab marked current, and the address and title name it."""
    expect(page.locator(f"#view-{view}")).to_be_visible()
    expect(page.locator(f"#tab-{view}")).to_have_attribute("aria-current", "page")
    expect(page).to_have_url(f"{page.url.split('#')[0]}#{view}")
    expect(page).to_have_title(f"{page.locator(f'#tab-{view}').inner_text()} · reelgen")


def test_back_and_forward_move_between_the_views_visited(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url + "/")
    on(page, "create")
    page.locator("#tab-gallery").click()
    on(page, "gallery")
    page.locator("#tab-projects").click()
    on(page, "projects")
    page.go_back()
    on(page, "gallery")
    page.go_back()
    on(page, "create")
    page.go_forward()
    on(page, "gallery")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    on(page, "gallery")
    assert t.errors == []


def test_a_page_opened_on_a_view_goes_back_to_where_it_came_from(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Create, built first under the hood, must put no entry of its own before the view asked for.
    t = tab()
    page = t.open(quiet_server.url + "/#gallery")
    on(page, "gallery")
    page.locator("#tab-avatar").click()
    on(page, "avatar")
    page.go_back()
    on(page, "gallery")
    page.go_back()
    expect(page).to_have_url("about:blank")
    assert t.errors == []


def test_the_skip_link_moves_past_the_navigation_and_stays_on_the_view(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url + "/#gallery")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    on(page, "gallery")
    assert t.errors == []


def test_each_view_titles_the_tab_so_backs_list_tells_them_apart(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url + "/#shootouts")
    expect(page).to_have_title("Shoot-outs · reelgen")
    page.locator("#tab-create").click()
    expect(page).to_have_title("Create · reelgen")
    assert t.errors == []

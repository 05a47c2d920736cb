"""The "Notify me" button: it turns notifications on where the browser allows them, and says why not where not."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.web.conftest import Served, Tab, tabs_of
from tests.web.test_page import PHONE, horizontal_overflow


@pytest.fixture
def tab(full_chromium: Browser) -> Iterator[Callable[..., Tab]]:
    """Tabs of the whole browser, as a person opens the page: how a notification prompt is answered is
    the browser's part, and Chromium's headless shell answers it unlike the browser (tests/browser.py)."""
    yield from tabs_of(full_chromium)


def test_notify_me_says_so_when_the_browser_blocks_notifications(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Headless Chromium answers every permission request "denied", as a browser whose user blocked
    # the page's notifications does: pressing the button used to change nothing on screen.
    t = tab(PHONE)
    page = t.open(quiet_server.url)
    button = page.locator("#notify")
    note = page.locator("#notify-note")
    expect(note).to_be_hidden()
    height = button.bounding_box()["height"]  # type: ignore[index]
    button.click()
    expect(note).to_have_text(
        "The browser blocks notifications for this page: allow them in its site settings, then press again."
    )
    expect(button).to_have_text("Notify me")
    expect(button).to_have_attribute("aria-pressed", "false")
    # The note has a line of its own: the button is not squeezed into "Not / ify / me".
    assert button.bounding_box()["height"] == height  # type: ignore[index]
    assert horizontal_overflow(t) == 0
    assert t.errors == []


def test_notify_me_turns_on_and_off_where_notifications_are_allowed(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    t.context.grant_permissions(["notifications"])
    page = t.open(quiet_server.url)
    button = page.locator("#notify")
    button.click()
    expect(button).to_have_text("Notifications on")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#notify-note")).to_be_hidden()
    button.click()
    expect(button).to_have_text("Notify me")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert t.errors == []

"""With Notify me on and the page out of sight, a video that ends raises a browser notification named as
its card is ("Video cancelled", its prompt); kept when the notifications moved out of queue.js."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab

# Each notification the page makes is recorded rather than shown; the page is told it is hidden.
RECORD = """
window.__notes = [];
window.Notification = class {
  static permission = "granted";
  static requestPermission() { return Promise.resolve("granted"); }
  constructor(title, options) { window.__notes.push({ title, body: options.body }); }
  addEventListener() {}
  close() {}
};
"""


def test_a_video_that_ends_while_the_page_is_hidden_raises_a_notification(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    t.context.add_init_script(RECORD)
    page = t.open(quiet_server.url)
    page.locator("#notify").click()
    expect(page.locator("#notify")).to_have_text("Notifications on")
    video = quiet_server.create(prompt="a grey heron at dawn")
    card = page.locator(f'#cards .card[data-id="{video["id"]}"]')
    expect(card).to_be_visible()
    page.evaluate("Object.defineProperty(document, 'hidden', { value: true, configurable: true })")
    card.get_by_role("button", name="Cancel").click()
    expect(card.locator(".status")).to_have_text("Cancelled")
    page.wait_for_function("window.__notes.length > 0")
    assert page.evaluate("window.__notes") == [{"title": "Video cancelled", "body": "a grey heron at dawn"}]
    assert t.errors == []

"""Deleting a video from the keyboard dropped the focus to the top of the page (the button pressed was
gone), so the next Tab started again at the skip link; the card that takes its place now has the focus."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Dialog, expect

from tests.web.conftest import Served, Tab
from tests.web.test_page_delete import finished


def test_deleting_a_queue_card_from_the_keyboard_focuses_the_card_beside_it(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = [quiet_server.create(model="reelgen-micro", prompt=f"a fox {n} to delete") for n in (1, 2)]
    for video in made:
        assert quiet_server.http.post(f"/v1/videos/{video['id']}/cancel").status_code == 200
    t = tab()
    page = t.open(quiet_server.url)
    card = page.locator(f'#cards .card[data-id="{made[1]["id"]}"]')
    beside = card.evaluate("n => (n.nextElementSibling || n.previousElementSibling).dataset.id")
    card.get_by_role("button", name="Delete").focus()
    page.keyboard.press("Enter")
    expect(card).to_have_count(0)
    expect(page.locator(f'#cards .card[data-id="{beside}"] .card-title')).to_be_focused()
    assert t.errors == []


def test_deleting_a_gallery_item_from_the_keyboard_focuses_the_one_in_its_place(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = [finished(quiet_server, f"a hare {n} to delete") for n in (1, 2)]
    t = tab()
    page = t.open(f"{quiet_server.url}/#gallery")

    def accept(dialog: Dialog) -> None:
        dialog.accept()

    page.on("dialog", accept)
    item = page.locator(f'.gallery-item[data-id="{made[1]["id"]}"]')
    beside = item.evaluate("n => (n.nextElementSibling || n.previousElementSibling).dataset.id")
    item.get_by_role("button", name="Delete").focus()
    page.keyboard.press("Enter")
    expect(item).to_have_count(0)
    expect(page.locator(f'.gallery-item[data-id="{beside}"] .card-title')).to_be_focused()
    assert t.errors == []

"""Deleting a video from the keyboard dropped the focus to the top of the page (the button pressed was
gone), so the next Tab started again at the skip link; the card that takes its place now has the focus."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Dialog, expect

from reelgen.core.batch.summary import ItemOutcome
from tests.web.conftest import Served, Tab
from tests.web.test_page_delete import finished
from tests.web.test_views_batches import _ended_batch


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


def test_deleting_a_project_or_batch_from_the_keyboard_focuses_the_card_beside_it(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = []
    for n in (1, 2):
        text = f"title: Focus {n}\ndefaults: {{model: reelgen-micro}}\nscenes:\n  - prompt: a red circle\n    duration: 2\n"
        answer = quiet_server.http.post("/v1/projects", files={"project": (None, text)})
        assert answer.status_code in (200, 201), answer.text
        made.append(answer.json()["id"])
    t = tab()
    page = t.open(f"{quiet_server.url}/#projects")
    page.on("dialog", lambda dialog: dialog.accept())
    card = page.locator(f'#view-projects .card[data-id="{made[1]}"]')
    beside = card.evaluate("n => (n.nextElementSibling || n.previousElementSibling).dataset.id")
    card.get_by_role("button", name="Delete").focus()
    page.keyboard.press("Enter")
    expect(card).to_have_count(0)
    expect(page.locator(f'#view-projects .card[data-id="{beside}"] .card-title')).to_be_focused()

    # A batch's card (the Batches and Shoot-outs lists share it); the only one listed, so the heading takes it.
    one = _ended_batch(
        "batch_focus", [ItemOutcome(output="a", status="failed", reason="items[0] (a): no weights")]
    )
    t.context.route(
        lambda url: url.endswith("/v1/batches?limit=20"),
        lambda route: route.fulfill(json={"object": "list", "data": [one], "has_more": False}),
    )
    t.context.route("**/v1/batches/*/items", lambda route: route.fulfill(json={"data": []}))
    page.locator("#tab-batches").click()
    batch = page.locator('.parent[data-id="batch_focus"]')
    batch.get_by_role("button", name="Delete").focus()
    page.keyboard.press("Enter")  # the server has no such batch: its 404 takes the card away as a delete does
    expect(batch).to_have_count(0)
    expect(page.locator("#view-batches h2")).to_be_focused()
    assert t.errors == []
    for project in made[:1]:
        quiet_server.http.delete(f"/v1/projects/{project}")

"""A card's buttons stay where they were first drawn: a click pressed on Download and released a moment
later landed on whatever had moved under the pointer, and nothing happened.

Two moves did it (found with Playwright traces of flaky tests): a player that cannot play its file gave
way to a one-line message, shorter than the player, so Download, Enhance and Delete jumped up; and the
queue's line counting the jobs waiting with no card showed at load and went at the first poll, moving
every card. Each test records, inside the page, where each card button was the moment it was first
drawn (a MutationObserver measures it in the same task that added it), then waits for the change and
compares.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import Served, Tab, listing
from tests.web.test_page_delete import finished

UNPLAYABLE = "This browser cannot play this video; Download it to watch it in a player."

# Where every card button was first drawn, keyed "card|<id>|Download" (queue) or "gallery-item|<id>|…",
# and whether the queue's gap line ever showed.
FIRST_BOXES = """
window.firstBoxes = {};
window.gapShown = false;
const look = () => {
  for (const button of document.querySelectorAll(".card-actions button")) {
    const holder = button.closest(".card, .gallery-item");
    const key = `${holder.classList[0]}|${holder.dataset.id}|${button.textContent}`;
    const box = button.getBoundingClientRect();
    if (box.height && !(key in window.firstBoxes)) window.firstBoxes[key] = { x: box.x, y: box.y };
  }
  const gap = document.getElementById("queue-gap");
  if (gap && !gap.hidden) window.gapShown = true;
};
new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true });
"""

# Where those buttons are now, after two frames (anything a change set off is laid out by then).
BOXES_NOW = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const now = {};
  for (const button of document.querySelectorAll(".card-actions button")) {
    const holder = button.closest(".card, .gallery-item");
    const box = button.getBoundingClientRect();
    if (box.height) now[`${holder.classList[0]}|${holder.dataset.id}|${button.textContent}`] = { x: box.x, y: box.y };
  }
  return { first: window.firstBoxes, now };
}"""


def moved(page: Page, keys: list[str]) -> dict[str, Any]:
    """The buttons of ``keys`` that are more than 1 px from where they were first drawn (none: {})."""
    boxes = page.evaluate(BOXES_NOW)
    first, now = boxes["first"], boxes["now"]
    for key in keys:
        assert key in first and key in now, (key, boxes)
    return {
        key: (first[key], now[key])
        for key in keys
        if abs(first[key]["x"] - now[key]["x"]) > 1 or abs(first[key]["y"] - now[key]["y"]) > 1
    }


def opened(server: Served, tab: Callable[..., Tab], view: str = "") -> tuple[Tab, Page]:
    t = tab()
    t.page.add_init_script(FIRST_BOXES)
    return t, t.open(f"{server.url}/{view}")


def test_a_queue_cards_buttons_stay_put_when_its_player_gives_way_to_words(
    serve_app: Callable[..., Served], tab: Callable[..., Tab]
) -> None:
    server = serve_app()  # its own: no other test's jobs in its queue
    video = finished(server, "a fox whose clip no browser plays")
    t, page = opened(server, tab)
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator(".card-error")).to_have_text(UNPLAYABLE)
    expect(card.locator("video")).to_have_count(0)
    keys = [f"card|{video['id']}|{name}" for name in ("Download", "Enhance", "Delete")]
    assert moved(page, keys) == {}
    # The words stand where the player stood, in its box.
    box = card.locator(".media").bounding_box()
    assert box is not None and box["height"] > 100, box
    assert t.errors == []


@pytest.mark.parametrize("file", ["unplayable", "not made yet"])
def test_a_gallery_items_buttons_stay_put_when_its_player_gives_way_to_words(
    serve_app: Callable[..., Served], tab: Callable[..., Tab], file: str
) -> None:
    server = serve_app()
    if file == "unplayable":
        video, said = finished(server, "a hare whose clip no browser plays"), UNPLAYABLE
        route = None
    else:
        # A queued video listed as finished (as test_page_session38 does): its file is refused with a 409.
        video = server.create(model="reelgen-micro", prompt="a hare still queued")
        said = f"video {video['id']} is queued; its content exists once it is completed"
        done = {**video, "status": "completed", "progress": 100, "completed_at": video["created_at"]}
        route = listing([done])
    t = tab()
    t.page.add_init_script(FIRST_BOXES)
    if route is not None:
        t.context.route(lambda url: "/v1/videos?status=completed" in url, route)
    page = t.open(f"{server.url}/#gallery")
    item = page.locator(f'.gallery-item[data-id="{video["id"]}"]')
    expect(item.locator(".card-error.gone")).to_have_text(said)
    expect(item.locator("video")).to_have_count(0)
    keys = [
        f"gallery-item|{video['id']}|{name}"
        for name in ("Use these settings", "Enhance", "Download", "Delete")
    ]
    assert moved(page, keys) == {}
    assert t.errors == []


def test_the_queues_cards_stay_put_through_its_first_poll(
    serve_app: Callable[..., Served], tab: Callable[..., Tab]
) -> None:
    # 23 waiting: the page's 20 newest leave out the first three in line, which its poll of the first
    # 100 in line finds. The line "3 more jobs waiting ... have no card here" showed at load, then went
    # at the first poll a second later, moving every card up by its height.
    server = serve_app()
    made = [server.create(model="reelgen-micro", prompt=f"take {n}") for n in range(23)]
    t, page = opened(server, tab)
    expect(page.locator("#cards > li")).to_have_count(23)
    # Two answers to the poll's last list: at least one poll has run through (load asks it at most once).
    page.wait_for_function(
        """() => performance.getEntriesByType("resource")
          .filter((e) => e.name.includes("status=in_progress")).length >= 2"""
    )
    expect(page.locator("#queue-summary")).to_have_text("0 running, 23 waiting")
    expect(page.locator("#queue-gap")).to_be_hidden()
    keys = [f"card|{video['id']}|Cancel" for video in (made[-1], made[-2])]
    assert moved(page, keys) == {}
    assert page.evaluate("window.gapShown") is False  # every waiting job had its card from the start
    assert t.errors == []

"""Words on the page: the avatar's text to speak was counted only on sending (the Create prompt is counted as
it is typed); a batch refusal about a manifest item read "Manifest (JSON): items[1].images[0]: ..." under the
Manifest box, naming the place twice; and a talking avatar's cut card title offered "Show the whole prompt"
for the text it speaks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.web.conftest import Served, Tab
from tests.web.test_s57f_shared_tab import shared_tab

SPOKEN = "welcome aboard the harbour tour, where the gulls are loud and the boats are old, " * 8


@pytest.fixture(scope="module")
def quiet_page(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Tab]:
    """The quiet server's page, loaded once: the Avatar and Batches tests each fill their own view's form."""
    with shared_tab(chromium, quiet_server.url, batch_roots) as t:
        yield t


def test_the_avatar_text_is_counted_as_it_is_typed(quiet_page: Tab) -> None:
    t = quiet_page
    page = t.page
    page.locator("#tab-avatar").click()
    box = page.locator("#avatar-form").get_by_label("Or text to speak")
    count = page.locator("#av-text-count")
    expect(count).to_be_hidden()  # empty: a voice file may stand in for it
    box.fill("  hello  ")
    expect(count).to_have_text("5 of 5,000 characters")  # counted as sent: trimmed
    assert "av-text-count" in (box.get_attribute("aria-describedby") or "").split()
    box.fill("ab " * 2000)
    expect(count).to_have_text(
        "5,999 of 5,000 characters: 999 more than this server takes; shorten the text to speak before sending."
    )
    expect(count).to_have_class("hint char-count over")
    box.fill("")
    expect(count).to_be_hidden()
    assert t.errors == []


def test_a_manifest_items_error_names_its_place_once(
    quiet_server: Served, quiet_page: Tab, batch_roots: Path
) -> None:
    shots = batch_roots / "s56o-shots"
    shots.mkdir(exist_ok=True)
    page = quiet_page.page
    page.locator("#tab-batches").click()
    form = page.locator("#batch-form")
    manifest = {"items": [{"output": "a", "prompt": "a fox"}, {"output": "b", "images": [5]}]}
    form.get_by_label("Manifest (JSON)").fill(json.dumps(manifest))
    form.get_by_label("Folder on the server", exact=True).fill(str(shots))
    with page.expect_response(lambda r: r.url.endswith("/v1/batches")) as answer:
        form.get_by_role("button", name="Start batch").click()
    error = answer.value.json()["error"]
    assert error["param"] == "manifest.items[1].images[0]", error
    assert error["message"].startswith("manifest.items[1].images[0]: "), error
    slot = form.locator('.field[data-param="manifest"] .field-error')
    expect(slot).to_have_text("items[1].images[0]: " + error["message"].split(": ", 1)[1])
    expect(slot).not_to_contain_text("Manifest (JSON)")
    assert quiet_server.http.get("/v1/batches").json()["data"] == []


def test_a_talking_avatars_cut_title_shows_the_whole_text(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = quiet_server.create(model="reelgen-micro", prompt=SPOKEN.strip())

    def as_avatar(video: dict[str, Any], done: bool) -> dict[str, Any]:
        # The quiet server runs no lip-sync: its job is given an avatar's record, as POST /v1/avatars leaves it.
        avatar = {**video, "parameters": {**(video.get("parameters") or {}), "task": "avatar"}}
        return (
            {**avatar, "status": "completed", "progress": 100, "completed_at": video["created_at"]}
            if done
            else avatar
        )

    def answer(route: Route) -> None:
        listed = route.fetch().json()
        done = "status=completed" in route.request.url
        if done:
            listed["data"] = [as_avatar(made, True)]
        else:
            listed["data"] = [as_avatar(v, False) if v["id"] == made["id"] else v for v in listed["data"]]
        route.fulfill(json=listed)

    t = tab((390, 800))
    t.context.route(lambda url: "/v1/videos?" in url, answer)
    page = t.open(quiet_server.url)
    queued = page.locator(f'#cards .card[data-id="{made["id"]}"]')
    expect(queued.get_by_role("button", name="Show the whole text")).to_be_visible()
    expect(queued.get_by_role("button", name="Show the whole prompt")).to_have_count(0)
    queued.get_by_role("button", name="Show the whole text").click()
    queued.get_by_role("button", name="Show less").click()
    expect(queued.get_by_role("button", name="Show the whole text")).to_have_attribute(
        "aria-expanded", "false"
    )

    page.locator("#tab-gallery").click()
    shown = page.locator(f'.gallery-item[data-id="{made["id"]}"]')
    expect(shown.get_by_role("button", name="Show the whole text")).to_be_visible()
    assert t.errors == []
    quiet_server.http.delete(f"/v1/videos/{made['id']}")

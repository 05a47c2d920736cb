"""With Lock off, the Seed box shows the seed the last video used. A create the server refused drew a
seed too, and it stood in the box afterwards as if a video had been made with it."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, press_generate


def test_a_refused_create_leaves_the_seed_box_as_it_was(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    seed = page.locator("#f-seed")
    status, _ = press_generate(page)  # no prompt: refused by the server
    assert status == 400
    expect(page.locator("#err-prompt")).to_be_visible()
    expect(seed).to_have_value("")
    assert not page.is_checked("#f-seed-lock")

    page.fill("#f-prompt", "a violet moon")
    status, video = press_generate(page)
    assert status == 202
    expect(seed).to_have_value(str(video["seed"]))  # the one the video used, still unlocked
    assert not page.is_checked("#f-seed-lock")

    page.fill("#f-prompt", "")
    status, _ = press_generate(page)
    assert status == 400
    expect(page.locator("#err-prompt")).to_be_visible()
    expect(seed).to_have_value(str(video["seed"]))
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{video['id']}")

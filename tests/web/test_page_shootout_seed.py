"""The Shoot-outs form's Seed box: text that is no seed is refused in the page, in words, before anything is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, expect

from tests.web.conftest import Served, Tab
from tests.web.test_s57f_shared_tab import shared_tab


@pytest.fixture(scope="module")
def shootouts(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Tab]:
    """The Shoot-outs view, loaded once: each test fills in every field it sends."""
    with shared_tab(chromium, f"{quiet_server.url}/#shootouts", batch_roots) as t:
        yield t


@pytest.mark.parametrize("typed", ["abc", "-1", "9223372036854775808"])
def test_a_seed_that_is_no_seed_is_named_with_what_is_valid(shootouts: Tab, typed: str) -> None:
    # "abc" went to the server, whose answer the page showed as it came: "Seed: Input should be a valid
    # integer, unable to parse string as an integer".
    t = shootouts
    page = t.page
    posts: list[str] = []

    def post(request: Request) -> None:
        if request.method == "POST":
            posts.append(request.url)

    page.on("request", post)
    form = page.locator("#shootout-form")
    form.get_by_label("reelgen-micro").check()
    form.get_by_label("Prompts", exact=True).fill("a red circle")
    form.get_by_label("Seed").fill(typed)
    form.get_by_label("Report folder on the server").fill("/data/compare")
    form.get_by_role("button", name="Start shoot-out").click()
    slot = form.locator('.field[data-param="prompts.settings.seed"] .field-error')
    expect(slot).to_have_text(
        f"Seed: “{typed}” is not a seed. Type a whole number from 0 to 9223372036854775807, or leave it empty for 0."
    )
    expect(form.get_by_label("Seed")).to_be_focused()
    assert posts == []
    assert t.errors == []
    page.remove_listener("request", post)


def test_the_largest_seed_is_sent_exactly(shootouts: Tab) -> None:
    page = shootouts.page
    form = page.locator("#shootout-form")
    form.get_by_label("reelgen-micro").check()
    form.get_by_label("Prompts", exact=True).fill("a red circle")
    form.get_by_label("Seed").fill(" 9223372036854775807 ")
    form.get_by_label("Report folder on the server").fill("/data/compare")
    with page.expect_request(lambda r: r.url.endswith("/v1/shootouts") and r.method == "POST") as sent:
        form.get_by_role("button", name="Start shoot-out").click()
    assert '"seed":9223372036854775807' in (sent.value.post_data or "")
    expect(form.locator('.field[data-param="prompts.settings.seed"] .field-error')).to_be_hidden()

"""The Shoot-outs form's Seed box: text that is no seed is refused in the page, in words, before anything is sent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


@pytest.mark.parametrize("typed", ["abc", "-1", "9223372036854775808"])
def test_a_seed_that_is_no_seed_is_named_with_what_is_valid(
    quiet_server: Served, tab: Callable[..., Tab], typed: str
) -> None:
    # "abc" went to the server, whose answer the page showed as it came: "Seed: Input should be a valid
    # integer, unable to parse string as an integer".
    t = tab()
    page = t.open(f"{quiet_server.url}/#shootouts")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
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


def test_the_largest_seed_is_sent_exactly(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    page = tab().open(f"{quiet_server.url}/#shootouts")
    form = page.locator("#shootout-form")
    form.get_by_label("reelgen-micro").check()
    form.get_by_label("Prompts", exact=True).fill("a red circle")
    form.get_by_label("Seed").fill(" 9223372036854775807 ")
    form.get_by_label("Report folder on the server").fill("/data/compare")
    with page.expect_request(lambda r: r.url.endswith("/v1/shootouts") and r.method == "POST") as sent:
        form.get_by_role("button", name="Start shoot-out").click()
    assert '"seed":9223372036854775807' in (sent.value.post_data or "")
    expect(form.locator('.field[data-param="prompts.settings.seed"] .field-error')).to_be_hidden()

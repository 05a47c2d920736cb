"""The "Model defaults" button set the task, size, duration, frame rate, steps and guidance at once and said nothing: a
screen reader user heard no change, and no one was told the prompt and seed stay. It now says both."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_model_defaults_says_what_it_set_and_kept(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    page.locator("#f-model").select_option("reelgen-micro")
    page.fill("#f-prompt", "a fox")
    page.fill("#f-steps", "7")
    page.fill("#f-seed", "42")
    page.get_by_role("button", name="Model defaults").click()
    expect(page.locator("#announcer")).to_have_text(
        "reelgen-micro's defaults set: task, size, duration, frame rate, steps and guidance. "
        "The prompts, seed and files are kept."
    )
    expect(page.locator("#f-steps")).not_to_have_value("7")
    expect(page.locator("#f-prompt")).to_have_value("a fox")
    expect(page.locator("#f-seed")).to_have_value("42")
    assert t.errors == []

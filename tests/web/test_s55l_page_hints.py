"""Hints a user acts on: where a file format is described (docs/ is not in the installed package), the
Ctrl+Enter hint (no use on a phone with no keyboard), and the Random seed button's spoken name (voice
control users say the word they see)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.web.conftest import Served, Tab
from tests.web.forms import unfold
from tests.web.test_s57f_shared_tab import shared_tab


@pytest.fixture(scope="module")
def desk(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Tab]:
    """The page on a desktop screen, loaded once: the tests only read its hints (and unfold a form)."""
    with shared_tab(chromium, quiet_server.url, batch_roots) as t:
        yield t


def test_format_hints_point_to_commands_a_pip_user_has(desk: Tab) -> None:
    t = desk
    page = t.page
    page.locator("#tab-projects").click()
    unfold(page, "#project-new")
    about = page.locator("#project-new > p.hint")
    expect(about).to_contain_text("reelgen project schema prints the file's JSON schema")
    expect(about).not_to_contain_text("docs/storyboards.md describes the file")
    page.locator("#tab-batches").click()
    hint = page.locator("#bf-manifest-file-hint")
    expect(hint).to_contain_text("reelgen manifest schema prints its fields")
    expect(hint).not_to_contain_text("(docs/batch.md)")
    page.locator("#tab-shootouts").click()
    prompts = page.locator("#shootout-form").get_by_label("Prompts", exact=True)
    described = prompts.get_attribute("aria-describedby")
    assert described, "the prompts box names no hint"
    hint = page.locator(f"#{described.split()[0]}")
    # The JSON format is shown on the page itself (test_s56d_page_facts checks the example).
    expect(hint).not_to_contain_text("source repository")
    expect(page.locator("#sf-json-help summary")).to_have_text("The prompts as JSON")
    assert t.errors == []


def test_random_seed_button_is_named_by_its_visible_word(desk: Tab) -> None:
    t = desk
    page = t.page
    page.locator("#tab-create").click()
    button = page.get_by_role("button", name="Random", exact=False)
    expect(button).to_have_count(1)
    expect(button).to_have_text("Random")
    assert (button.get_attribute("aria-label") or "Random").startswith("Random")
    assert t.errors == []


def test_ctrl_enter_hint_shows_with_a_mouse_but_not_on_a_touch_phone(
    quiet_server: Served, desk: Tab, chromium: Browser
) -> None:
    mouse = desk.page
    mouse.locator("#tab-create").click()
    expect(mouse.locator("#hint-prompt")).to_contain_text("Ctrl+Enter")
    expect(mouse.get_by_text("Ctrl+Enter (⌘+Enter on a Mac) sends the form from here.")).to_be_visible()
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = phone.new_page()
        page.goto(quiet_server.url)
        page.wait_for_selector("body[data-ready=true]")
        expect(page.locator("#f-prompt")).to_be_visible()
        expect(page.get_by_text("Ctrl+Enter (⌘+Enter on a Mac) sends the form from here.")).to_be_hidden()
        # The model's other words in that hint still show: an image-only model says the prompt is not read.
        page.select_option("#f-model", "svd-tiny")
        expect(page.locator("#hint-prompt")).to_contain_text("Not read")
        expect(page.locator("#hint-prompt")).to_be_visible()
    finally:
        phone.close()

"""The panel under the model picker listed a model's tasks by their API codes' order ("Continue a clip,
Image to video, Keyframes, Text to video, Restyle a video"), unlike the picker and "What to make" beside
it (text to video first); it now lists them in the form's order."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_the_panels_tasks_follow_the_forms_order(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "ltx-tiny")
    order = ["Text to video", "Image to video", "Keyframes", "Restyle a video", "Continue a clip"]
    expect(page.locator("#model-info .chip")).to_have_text(order)
    expect(page.locator("#f-task .pill")).to_have_text(order)
    assert t.errors == []

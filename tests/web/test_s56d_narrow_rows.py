"""On a 360-pixel phone a keyframe row's file input ("Choose File  No file chosen") was wider than the form:
the page scrolled sideways and each row's Remove button was cut off at the screen's edge. The rows now fit."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_keyframe_rows_fit_a_360_pixel_screen(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab((360, 740))
    page = t.open(quiet_server.url)
    page.locator("#f-model").select_option("ltx-tiny")
    page.get_by_label("Keyframes", exact=True).check()
    page.get_by_role("button", name="Add a keyframe").click()
    remove = page.get_by_role("button", name="Remove keyframe 2")
    expect(remove).to_be_visible()
    for row in page.locator("#f-keyframe-rows > li").all():
        for control in row.locator("input, button").all():
            box = control.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 360, control.get_attribute("aria-label")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert t.errors == []

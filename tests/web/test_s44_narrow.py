"""The upload forms fit a 360-pixel phone: a file input's own width no longer pushes its hint off the screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


@pytest.mark.parametrize(("view", "form"), [("projects", "#project-form"), ("batches", "#batch-form")])
def test_upload_forms_fit_a_360_pixel_screen(
    quiet_server: Served, tab: Callable[..., Tab], view: str, form: str
) -> None:
    t = tab(viewport=(360, 740))
    page = t.open(f"{quiet_server.url}/#{view}")
    page.evaluate(
        "document.querySelectorAll('details').forEach((d) => { d.open = true; })"
    )  # a closed form fits anyway
    expect(page.locator(form)).to_be_visible()
    # Every hint under a file field ends inside the form, so none of its words are cut off.
    hints = page.locator(f"{form} .field .hint")
    assert hints.count() > 0
    right = page.evaluate(f"document.querySelector('{form}').getBoundingClientRect().right")
    for hint in hints.all():
        box = hint.bounding_box()
        assert box is not None and box["x"] + box["width"] <= right + 0.5, hint.text_content()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert t.errors == []

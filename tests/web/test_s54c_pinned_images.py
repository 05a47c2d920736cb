"""An end image or keyframe image the server cannot read is said at once, in the start image's words.

The start image's field said "bad.png is not a readable image; choose a PNG, …" as soon as it was chosen;
an end image or a keyframe image that was no picture showed a broken-image icon with its alt text spilling
over the row, and nothing was said until Generate came back refused.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab

NOT_AN_IMAGE = {"name": "bad.png", "mimeType": "image/png", "buffer": b"not an image at all"}
SAID = "bad.png is not a readable image; choose a PNG, JPEG, WebP, BMP, GIF or TIFF image."


def test_an_unreadable_end_or_keyframe_image_is_said_before_sending(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "ltx-tiny")
    page.locator('label[for="task-i2v"]').click()
    end = page.locator("#f-end-preview")
    page.set_input_files("#f-end", NOT_AN_IMAGE)
    expect(end.locator("figcaption")).to_have_text(SAID)
    expect(end.locator("img")).to_have_count(0)  # no broken picture

    page.locator('label[for="task-keyframes"]').click()
    row = page.locator("#f-keyframe-rows li").first
    row.locator(".kf-image").set_input_files(NOT_AN_IMAGE)
    expect(row.locator("figcaption")).to_have_text(SAID)
    expect(row.locator("img")).to_have_count(0)
    assert t.errors == []

"""A start image the page cannot send is said once: pressing Generate put the note's words a second
time right under it, as the field's error, two identical lines in two colours."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_an_unreadable_start_image_is_said_once_after_generate(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    bad, good = tmp_path / "notes.png", tmp_path / "square.png"
    bad.write_text("not an image, whatever its name says")
    Image.new("RGB", (64, 64), (30, 120, 200)).save(good)
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    page.fill("#f-prompt", "a blue square")
    page.locator('label[for="task-i2v"]').click()
    said = "notes.png is not a readable image; choose a PNG, JPEG, WebP, BMP, GIF or TIFF image."
    note, error = page.locator("#f-image-note"), page.locator("#err-input_reference")
    page.set_input_files("#f-image", bad)
    expect(note).to_have_text(said)
    page.click("#f-submit")
    expect(error).to_have_text(said)
    expect(note).to_be_hidden()
    # Another file: its own note, and the old error goes.
    page.set_input_files("#f-image", good)
    expect(note).to_have_text("Your image (64×64) has the video's shape: nothing is cropped.")
    expect(error).to_be_hidden()
    assert t.errors == []

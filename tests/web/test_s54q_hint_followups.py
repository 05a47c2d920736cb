"""Three follow-ups on the Create form's hints. With ltx2-tiny and Guidance 0.5 the negative hint read
'…”. show all Read only with Guidance above 1 (it is 0.5 here).': the toggle sat between the quoted
negative and the guidance words; it now follows the folded text, inside its sentence. A keyframe
row's crop note repeated the start image's whole sentence under its small thumbnail; it now says the
short form ('25% cropped off (left and right)'). Switching to ltx-tiny (a short own negative) and
back folded the negative the person had unfolded; it now stays unfolded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

from tests.web.conftest import Served, Tab
from tests.web.test_s57f_shared_tab import shared_tab


@pytest.fixture(scope="module")
def create(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Tab]:
    """The Create view, loaded once: each test first picks the model it is about."""
    with shared_tab(chromium, quiet_server.url, batch_roots) as t:
        yield t


def test_show_all_follows_the_folded_negative(create: Tab) -> None:
    t = create
    page = t.page
    page.select_option("#f-model", "ltx2-tiny")
    page.fill("#f-guidance", "0.5")
    hint = page.locator("#hint-negative_prompt")
    expect(hint).to_contain_text("… show all\u2069”. Read only with Guidance above 1", use_inner_text=True)
    hint.get_by_role("button", name="show all").click()
    expect(hint).to_contain_text("or AI artifacts. show less\u2069”. Read only", use_inner_text=True)
    # ltx-tiny's short own and back: the negative the person unfolded stays unfolded.
    page.select_option("#f-model", "ltx-tiny")
    expect(hint.get_by_role("button")).to_have_count(0)
    page.select_option("#f-model", "ltx2-tiny")
    expect(hint).to_contain_text("or AI artifacts.", use_inner_text=True)
    expect(hint.get_by_role("button", name="show less")).to_be_visible()
    assert t.errors == []


def test_a_keyframe_row_says_its_crop_short(create: Tab, tmp_path: Path) -> None:
    wide = tmp_path / "wide.png"
    Image.new("RGB", (320, 240), (30, 120, 200)).save(wide)
    t = create
    page = t.page
    page.select_option("#f-model", "ltx-tiny")
    page.locator('label[for="task-keyframes"]').click()
    page.locator('label[for="size-64x64"]').click()
    page.get_by_label("Keyframe 1 image").set_input_files(wide)
    note = page.locator("#f-keyframe-rows .crop-note")
    expect(note).to_have_text("25% cropped off (left and right)")
    page.locator('label[for="size-96x64"]').click()  # redrawn for another size, still short
    expect(note).to_have_text("11% cropped off (top and bottom)")
    assert t.errors == []

"""The end image's preview showed no crop box or note, though the start image's did, and the server
crops both alike (core/media.py load_fitted: scale to cover, centre-crop), keyframes too: a 320x240
end image at 64x64 loses a quarter of its width without a word. The end image and each keyframe's
preview now draw the crop box and say what is cropped, in the start image's words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab

CUT = "Your image is 320×240; the video is 64×64, so 25% of the image is cropped off (left and right)."


def test_end_and_keyframe_images_say_what_is_cropped(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    wide = tmp_path / "wide.png"
    Image.new("RGB", (320, 240), (30, 120, 200)).save(wide)
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "ltx-tiny")
    page.locator('label[for="task-i2v"]').click()
    page.locator('label[for="size-64x64"]').click()
    page.set_input_files("#f-image", str(wide))
    expect(page.locator("#f-image-note")).to_have_text(CUT)
    page.get_by_label("End image (optional)").set_input_files(wide)
    end = page.locator("#f-end-field")
    expect(end.locator(".crop-note")).to_have_text(CUT)
    expect(end.locator(".crop-box")).to_have_attribute(
        "style", "left: 12.5%; top: 0%; width: 75%; height: 100%;"
    )
    # Another size redraws it: 3:2 trims a 4:3 image's top and bottom.
    page.locator('label[for="size-96x64"]').click()
    expect(end.locator(".crop-note")).to_contain_text("11% of the image is cropped off (top and bottom)")
    page.locator('label[for="task-keyframes"]').click()
    page.get_by_label("Keyframe 1 image").set_input_files(wide)
    page.locator('label[for="size-64x64"]').click()
    # A keyframe row says it short under its small thumbnail (test_s54q_hint_followups).
    expect(page.locator("#f-keyframe-rows .crop-note")).to_have_text("25% cropped off (left and right)")
    assert t.errors == []

"""Files on the page that cannot be used: a start or keyframe image the server cannot read, a video
whose file was removed, an Enhance to a frame rate left empty. Each is said where the person looks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, press_generate
from tests.web.test_page_delete import finished


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("page-files")
    out = {"png": folder / "wide.png", "svg": folder / "logo.svg", "text": folder / "notes.png"}
    Image.new("RGB", (96, 64), (220, 30, 30)).save(out["png"])
    out["svg"].write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>'
    )
    out["text"].write_text("not an image, whatever its name says")
    return out


def test_an_image_the_server_cannot_read_is_said_at_once_and_a_keyframe_error_finds_its_row(
    quiet_server: Served, tab: Callable[..., Tab], files: dict[str, Path]
) -> None:
    # An SVG drew in the preview and the crop note said "nothing is cropped" of it; a text file named
    # .png kept the last image's note. Both went to the server, which refused them.
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "reelgen-micro")
    page.fill("#f-prompt", "a red fox")
    page.locator('label[for="task-i2v"]').click()
    note = page.locator("#f-image-note")
    page.set_input_files("#f-image", files["png"])
    expect(note).to_contain_text("Your image is 96×64")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    for name, said in (
        ("svg", "logo.svg is not a PNG, JPEG, WebP, BMP, GIF or TIFF image; choose one of those."),
        ("text", "notes.png is not a readable image; choose a PNG, JPEG, WebP, BMP, GIF or TIFF image."),
    ):
        page.set_input_files("#f-image", files[name])
        expect(note).to_have_text(said)
        expect(page.locator("#f-image-fit")).to_be_hidden()
        page.click("#f-submit")
        expect(page.locator("#err-input_reference")).to_have_text(said)
        expect(page.locator("#f-image")).to_be_focused()
    assert sent == []

    # The server names keyframe_images[1]: the focus goes to keyframe 2's image, not keyframe 1's.
    page.select_option("#f-model", "ltx-tiny")
    page.locator('label[for="task-keyframes"]').click()
    page.get_by_label("Keyframe 1 image").set_input_files(files["png"])
    page.click("#f-keyframe-add")
    page.get_by_label("Keyframe 2 image").set_input_files(files["svg"])
    status, body = press_generate(page)
    assert status == 400 and body["error"]["param"] == "keyframe_images[1]", body
    expect(page.locator("#err-keyframe_images")).to_contain_text("Keyframe 2 image: not a readable image")
    expect(page.get_by_label("Keyframe 2 image")).to_be_focused()
    expect(page.get_by_label("Keyframe 1 image")).not_to_have_attribute("aria-invalid", "true")
    assert t.errors == []


def test_a_video_whose_file_was_removed_offers_no_download_or_enhance(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Its Download and Enhance stayed, each failing with "was removed" once pressed.
    lost = finished(quiet_server, "a fox whose file went")
    kept = finished(quiet_server, "a fox still here")
    for path in (quiet_server.data_dir / "outputs").rglob("*.mp4"):
        if lost["id"] in str(path):
            path.unlink()
    t = tab()
    page = t.open(f"{quiet_server.url}/#gallery")
    item = page.locator(f'.gallery-item[data-id="{lost["id"]}"]')
    expect(item.locator(".gone")).to_contain_text(
        f"the video of {lost['id']} is missing: its file is no longer"
    )
    expect(item.get_by_role("button")).to_have_text(["Use these settings", "Remix", "Delete"])

    page.goto(f"{quiet_server.url}/#create")
    card = page.locator(f'.card[data-id="{lost["id"]}"]')
    expect(card.locator(".card-error")).to_contain_text("is missing")
    expect(card.get_by_role("button")).to_have_text(["Remix", "Use these settings", "Delete"])

    # Enhance of a video still there, to a frame rate left empty: said in the dialog's words.
    page.locator(f'.card[data-id="{kept["id"]}"]').get_by_role("button", name="Enhance").click()
    dialog = page.get_by_role("dialog", name="Enhance")
    dialog.get_by_label("Smoother motion").select_option("rate")
    dialog.get_by_label("Target frame rate").press("Enter")
    expect(page.locator("#enh-target_fps-err")).to_have_text(
        "Type the frame rate to reach, above 12 (the clip's rate) and up to 192 (e.g. 60)."
    )
    expect(dialog.get_by_label("Target frame rate")).to_be_focused()
    assert t.errors == []

"""The Avatar view's refusals name its fields as a sentence can: they began with the whole label, "Or text
to speak has no words to speak", "Or a video to dub (optional): not a readable video", "Face (photo,
optional): not a readable image"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FilePayload, expect

from tests.web.conftest import Served, Tab
from tests.web.test_s57f_shared_tab import shared_tab

NOT_MEDIA: FilePayload = {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello world\n"}


@pytest.fixture(scope="module")
def avatar(chromium: Browser, quiet_server: Served, batch_roots: Path) -> Iterator[Tab]:
    """The Avatar view, loaded once: one test reads its voice field, the other fills the form."""
    with shared_tab(chromium, f"{quiet_server.url}/#avatar", batch_roots) as t:
        yield t


def test_the_avatar_forms_errors_start_with_the_fields_name_not_its_label(avatar: Tab) -> None:
    t = avatar
    page = t.page
    form = page.locator("#avatar-form")
    make = form.get_by_role("button", name="Make avatar")

    def refused(param: str, words: str) -> None:
        with page.expect_response(lambda r: r.url.endswith("/v1/avatars")) as answer:
            make.click()
        assert answer.value.status == 400, answer.value.text()
        expect(form.locator(f'.field[data-param="{param}"] .field-error')).to_have_text(words)

    form.get_by_label("Or text to speak").fill("😀 😀 😀")
    refused(
        "text",
        "Text to speak has no words to speak (only punctuation, symbols or emoji); give text with letters or digits",
    )
    form.get_by_label("Or text to speak").fill("hello")
    form.get_by_label("Face (photo, optional)").set_input_files(NOT_MEDIA)
    refused("image", "Face: not a readable image; valid formats: JPEG, PNG, WEBP, BMP, GIF, TIFF")
    form.get_by_label("Face (photo, optional)").set_input_files([])
    form.get_by_label("Or a video to dub (optional)").set_input_files(NOT_MEDIA)
    refused(
        "video",
        "Video to dub: not a readable video (Invalid data found when processing input); valid: MP4/MOV, WebM/MKV, animated GIF",
    )
    assert t.errors == []


def test_the_voice_field_offers_webm_as_the_server_takes_it(avatar: Tab) -> None:
    # The server takes WAV, MP3, FLAC, OGG, M4A or WebM audio (and says so when refusing one); the field
    # named five, and its file chooser hid .webm files.
    t = avatar
    page = t.page
    audio = page.locator("#avatar-form").get_by_label("Voice (audio file)")
    expect(page.locator("#av-audio-hint")).to_have_text(
        "WAV, MP3, FLAC, OGG, M4A or WebM. Or leave it empty and write what to say below."
    )
    assert ".webm" in (audio.get_attribute("accept") or "").split(",")
    assert t.errors == []

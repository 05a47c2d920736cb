"""What a screen reader hears once a video with no prompt is queued: "Queued: " with nothing after it
(an image-to-video model that reads no text), or a raw "video_…" id (an avatar voiced from a file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, press_generate
from tests.web.test_s55c_avatar_form import _voice


def test_an_image_to_video_with_no_prompt_is_announced_as_its_card_names_it(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    start = tmp_path / "start.png"
    Image.new("RGB", (64, 64), (30, 120, 200)).save(start)
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "svd-tiny")  # reads no text: the prompt is left empty
    page.set_input_files("#f-image", str(start))
    status, body = press_generate(page)
    assert status == 202, body
    assert body["prompt"] == ""
    title = page.locator(f'#cards .card[data-id="{body["id"]}"] .card-title')
    expect(title).to_have_text("Image to video (no prompt)")
    expect(page.locator("#announcer")).to_have_text("Queued: Image to video (no prompt)")
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{body['id']}/cancel")


def test_an_avatar_voiced_from_a_file_is_announced_by_what_it_is_not_its_id(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#avatar")
    form = page.locator("#avatar-form")
    form.get_by_label("Voice (audio file)").set_input_files(
        {"name": "hello.wav", "mimeType": "audio/wav", "buffer": _voice()}
    )
    form.get_by_label("Model").select_option("reelgen-lipsync")
    with page.expect_response(lambda r: r.url.endswith("/v1/avatars")) as answer:
        form.get_by_role("button", name="Make avatar").click()
    assert answer.value.status == 202, answer.value.text()
    made = answer.value.json()
    expect(page.locator("#announcer")).to_have_text("Queued: Talking avatar (voice from an audio file)")
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{made['id']}/cancel")

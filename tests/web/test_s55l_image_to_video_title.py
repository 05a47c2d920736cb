"""A video from a model that reads no text (svd-tiny: a start image only) was titled just "(no prompt)" in
the queue, the gallery and what a screen reader hears, as if something had gone missing; it is now named
by what it is, "Image to video (no prompt)"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing, press_generate

TITLE = "Image to video (no prompt)"


def test_an_image_to_video_with_no_prompt_is_titled_by_what_it_is(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    start = tmp_path / "start.png"
    Image.new("RGB", (64, 64), (200, 120, 30)).save(start)
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "svd-tiny")  # reads no text: the prompt stays empty
    page.set_input_files("#f-image", str(start))
    status, body = press_generate(page)
    assert status == 202, body
    assert body["prompt"] == ""
    expect(page.locator(f'#cards .card[data-id="{body["id"]}"] .card-title')).to_have_text(TITLE)
    expect(page.locator("#announcer")).to_have_text(f"Queued: {TITLE}")
    # The gallery names it so too: given this one as finished.
    done = {**body, "status": "completed", "progress": 100, "completed_at": body["created_at"]}
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([done]))
    page.locator("#tab-gallery").click()
    item = page.locator(f'.gallery-item[data-id="{body["id"]}"]')
    expect(item.locator(".card-title")).to_have_text(TITLE)
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{body['id']}/cancel")

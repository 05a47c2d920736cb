"""A video with no prompt (a model that reads no text, an avatar voiced from a file) was named by its empty
prompt: "Remixing “” (…)", "Settings of “” loaded into the form", "Delete “67e988c8” and its video file";
each now names it as its card does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import Dialog, expect

from tests.web.conftest import Served, Tab, listing, press_generate

ISOLATE = ("\u2068", "\u2069")  # quoted() wraps a name in these, so text of either direction reads whole


def test_remix_and_use_these_settings_name_a_video_with_no_prompt(
    quiet_server: Served, tab: Callable[..., Tab], tmp_path: Path
) -> None:
    start = tmp_path / "start.png"
    Image.new("RGB", (64, 64), (30, 120, 200)).save(start)
    t = tab()
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "svd-tiny")  # reads no text: the prompt stays empty
    page.set_input_files("#f-image", str(start))
    status, body = press_generate(page)
    assert status == 202, body
    short = body["id"].removeprefix("video_")[:8]
    card = page.locator(f'#cards .card[data-id="{body["id"]}"]')
    card.get_by_role("button", name="Remix").click()
    expect(page.locator("#remix-cancel")).to_be_visible()
    banner = page.locator("#remix-banner")
    expect(banner).to_contain_text(
        f"Remixing “{ISOLATE[0]}Image to video (no prompt){ISOLATE[1]}” ({short})."
    )
    # "Use these settings" is offered on a finished one: the gallery is given this one as finished.
    done = {**body, "status": "completed", "progress": 100, "completed_at": body["created_at"]}
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([done]))
    page.locator("#tab-gallery").click()
    item = page.locator(f'.gallery-item[data-id="{body["id"]}"]')
    item.get_by_role("button", name="Use these settings").click()
    expect(page.locator("#announcer")).to_have_text(
        f"Settings of “{ISOLATE[0]}Image to video (no prompt){ISOLATE[1]}” ({short}) loaded into the form."
    )
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{body['id']}/cancel")


def test_deleting_a_finished_avatar_asks_about_it_by_name(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    video = {
        "id": "video_67e988c8aaaa",
        "status": "completed",
        "prompt": "",
        "parameters": {"task": "avatar"},
    }
    kept = page.evaluate("async (v) => (await import('./js/util.js')).confirmDelete(v)", video)
    assert kept is False
    assert asked == [
        f"Delete “{ISOLATE[0]}Talking avatar (voice from an audio file){ISOLATE[1]}” (67e988c8) and its video "
        "file from the server? This cannot be undone."
    ]
    assert t.errors == []

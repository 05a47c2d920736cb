"""The Create form's negative-prompt hint follows the rule the gallery and server use (negative.js).

It ignored ``true_cfg_scale``: HunyuanVideo and FramePack read a negative only with real CFG, which the
form never sends, yet it called the box plainly optional; and it never looked at the Guidance typed,
so a negative at guidance 1 or below was not said to go unread. A remix runs with its video's options.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

PLAIN = "What the video should not show (optional)."
NEEDS_CFG = (
    f"{PLAIN} Not read as this form sends it: it counts only with options.true_cfg_scale above 1, "
    "an option this form has no field for (send it through the API: POST /v1/videos)."
)


def test_the_hint_follows_guidance_and_true_cfg_scale(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    hint = page.locator("#hint-negative_prompt")
    page.select_option("#f-model", "hunyuan-tiny")
    expect(hint).to_have_text(NEEDS_CFG)
    page.select_option("#f-model", "wan-tiny")
    expect(hint).to_have_text(PLAIN)
    page.fill("#f-guidance", "0.5")
    expect(hint).to_have_text(f"{PLAIN} Read only with Guidance above 1 (it is 0.5 here).")
    page.fill("#f-guidance", "3")
    expect(hint).to_have_text(PLAIN)
    page.select_option("#f-model", "ltx-distilled")
    expect(hint).to_contain_text("Read only with Guidance above 1 (this model's default is 1).")
    page.fill("#f-guidance", "2")
    expect(hint).not_to_contain_text("Read only")
    assert t.errors == []


def test_a_remix_reads_with_its_videos_true_cfg_scale(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    video = quiet_server.create(
        model="hunyuan-tiny", prompt="real cfg", negative_prompt="fog", options={"true_cfg_scale": 4}
    )
    done = [{**video, "status": "completed", "progress": 100, "completed_at": video["created_at"]}]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    card = page.locator(f'.gallery-item[data-id="{video["id"]}"]')
    expect(card.locator(".params")).to_contain_text("Negativefog")
    expect(card.locator(".params")).not_to_contain_text("not read")
    hint = page.locator("#hint-negative_prompt")
    card.get_by_role("button", name="Remix").click()
    expect(hint).to_have_text(PLAIN)
    page.click("#remix-cancel")
    expect(hint).to_have_text(NEEDS_CFG)
    page.goto(quiet_server.url + "/#gallery")
    card.get_by_role("button", name="Use these settings").click()
    # Its true_cfg_scale is not carried over (the form has no field for it): the form's video reads none.
    expect(page.locator("#f-not-carried")).to_contain_text("options.true_cfg_scale 4")
    expect(hint).to_have_text(NEEDS_CFG)
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{video['id']}")

"""At guidance 1 (ltx-distilled's own) no negative prompt is read, as the server warns, yet the gallery
showed a typed one plainly, and (81ebdec7) the model's own as used: the card now says it went unread."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def test_a_negative_prompt_unread_at_guidance_1_is_marked_so(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    typed = quiet_server.create(model="ltx-tiny", prompt="typed", negative_prompt="rain", guidance_scale=1)
    empty = quiet_server.create(model="ltx-tiny", prompt="empty", guidance_scale=1)
    distilled = quiet_server.create(model="reelgen-micro", prompt="distilled", negative_prompt="fog")
    # A guidance-distilled model's record (HunyuanVideo, FramePack): its negative needs real CFG.
    distilled["parameters"] = {**distilled["parameters"], "options": {"true_cfg_scale": 1.0}}
    made = (typed, empty, distilled)
    done = [{**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]} for v in made]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")

    def params(video: dict[str, object]) -> str:
        return f'.gallery-item[data-id="{video["id"]}"] .params'

    expect(page.locator(params(typed))).to_contain_text(
        "Negativerain (not read: at guidance 1 it counts only above 1)"
    )
    expect(page.locator(params(empty))).to_contain_text("Seed")
    expect(page.locator(params(empty))).not_to_contain_text("Negative")
    expect(page.locator(params(distilled))).to_contain_text(
        "Negativefog (not read: it counts only with options.true_cfg_scale above 1)"
    )
    assert t.errors == []
    for video in made:
        quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{video['id']}")

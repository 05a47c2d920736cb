"""An LTX video made with the Negative prompt left empty showed no "Negative" row in the gallery,
though the model used a negative prompt of its own: the card now names it, marked as the model's."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator, expect

from tests.web.conftest import Served, Tab, listing

OWN = "worst quality, inconsistent motion, blurry, jittery, distorted"


def test_the_gallery_names_the_negative_prompt_an_ltx_model_used_of_its_own(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    empty = quiet_server.create(model="ltx-tiny", prompt="no negative typed")
    typed = quiet_server.create(model="ltx-tiny", prompt="negative typed", negative_prompt="rain")
    micro = quiet_server.create(model="reelgen-micro", prompt="a model with none of its own")
    done = [
        {**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]}
        for v in (empty, typed, micro)
    ]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")

    def params(video: dict[str, object]) -> Locator:
        return page.locator(f'.gallery-item[data-id="{video["id"]}"] .params')

    expect(params(empty)).to_contain_text(f"Negative{OWN} (the model's own: none was given)")
    expect(params(typed)).to_contain_text("Negativerain")
    expect(params(typed)).not_to_contain_text("model's own")
    expect(params(micro)).to_contain_text("Seed")
    expect(params(micro)).not_to_contain_text("Negative")
    assert t.errors == []
    for video in (empty, typed, micro):
        quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{video['id']}")

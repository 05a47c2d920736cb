"""LTX-2 used diffusers' negative prompt when none was typed, yet the form's hint and the gallery named
none (they did for LTX): with it in LTX-2's options (5e5a2879), both now name it as the model's own."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

OPENING = "blurry, out of focus, overexposed"


def test_the_hint_and_gallery_name_ltx2s_own_negative(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    empty = quiet_server.create(model="ltx2-tiny", prompt="no negative typed")
    done = [{**empty, "status": "completed", "progress": 100, "completed_at": empty["created_at"]}]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "ltx2-tiny")
    expect(page.locator("#hint-negative_prompt")).to_contain_text(
        f"Left empty, this model uses its own: “\u2068{OPENING}"
    )
    page.goto(quiet_server.url + "/#gallery")
    card = page.locator(f'.gallery-item[data-id="{empty["id"]}"] .params')
    expect(card).to_contain_text(f"Negative{OPENING}")
    expect(card).to_contain_text("or AI artifacts. (the model's own: none was given)")
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{empty['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{empty['id']}")

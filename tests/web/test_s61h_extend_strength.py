"""A continued clip's gallery card said "How much changed: 0.70": the server's record of an extend job
carries the core's default source strength, which no extend runner reads (the API refuses one sent with
an extend). The row is left out of an extend (and an avatar), whose runners do not read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing


def rows_of(card: Any) -> list[str]:
    return list(
        card.evaluate(
            """dl => [...dl.querySelectorAll("dt")].map((dt) => `${dt.textContent}: ${dt.nextElementSibling.textContent}`)"""
        )
    )


def test_only_a_restyle_says_how_much_changed(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    made = quiet_server.create(prompt="carried on")
    done = {**made, "status": "completed", "progress": 100, "completed_at": made["created_at"]}
    base = dict(made["parameters"], source_video=True, source_strength=0.7)
    extend = {**done, "id": made["id"] + "x", "parameters": {**base, "task": "extend"}}
    restyle = {**done, "id": made["id"] + "v", "parameters": {**base, "task": "v2v", "source_strength": 0.4}}
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([extend, restyle]))
    page = t.open(quiet_server.url + "/#gallery")
    extend_card = page.locator(f'.gallery-item[data-id="{extend["id"]}"] .params')
    restyle_card = page.locator(f'.gallery-item[data-id="{restyle["id"]}"] .params')
    expect(extend_card).to_contain_text("Continue a clip")
    expect(restyle_card).to_contain_text("Restyle a video")
    assert not [row for row in rows_of(extend_card) if row.startswith("How much changed")]
    assert "How much changed: 0.40" in rows_of(restyle_card)
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{made['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{made['id']}")

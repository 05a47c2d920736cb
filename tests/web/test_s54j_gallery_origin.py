"""The gallery card of an enhanced video read "From: enhanced from 03ed13da", the word "from" twice;
its row now says it once ("Origin: enhanced from 03ed13da"), and a remix's reads "Origin: remix of ..."."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing

SOURCE = "video_03ed13da00000000000000000000"


def test_a_cards_origin_says_from_once(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    made = quiet_server.create(prompt="where it came from")
    done = {**made, "status": "completed", "progress": 100, "completed_at": made["created_at"]}
    enhanced = {**done, "id": made["id"] + "e", "enhanced_from_video_id": SOURCE}
    remix = {**done, "id": made["id"] + "r", "remixed_from_video_id": SOURCE}
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing([enhanced, remix]))
    page = t.open(quiet_server.url + "/#gallery")
    rows = {}
    for video in (enhanced, remix):
        card = page.locator(f'.gallery-item[data-id="{video["id"]}"] .params')
        expect(card).to_contain_text("03ed13da")
        rows[video["id"]] = card.evaluate(
            """dl => [...dl.querySelectorAll("dt")].map((dt) => `${dt.textContent}: ${dt.nextElementSibling.textContent}`)
                .find((row) => row.includes("03ed13da"))"""
        )
    assert rows == {
        enhanced["id"]: "Origin: enhanced from 03ed13da",
        remix["id"]: "Origin: remix of 03ed13da",
    }
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{made['id']}/cancel")
    quiet_server.http.delete(f"/v1/videos/{made['id']}")

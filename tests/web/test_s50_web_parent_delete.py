"""Deleting a shoot-out (or batch) deletes its item jobs on the server, but their queue cards stood on
as "Done", with a Download that could only fail, until the page was reloaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab, listing

ID = "video_5e1f0000000000000000000000000052"


def test_deleting_a_shootout_takes_its_trials_off_the_queue(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    trials = [quiet_server.create(model="reelgen-micro", prompt=f"trial {n}") for n in (1, 2)]
    other = quiet_server.create(model="reelgen-micro", prompt="not a trial")
    shootout: dict[str, Any] = {
        "id": ID,
        "object": "shootout",
        "status": "completed",
        "models": ["reelgen-micro"],
        "prompts": ["p1", "p2"],
        "progress": 0,
        "created_at": 1_700_000_000,
        "output_folder": "/shots/compare",
        "request_counts": {
            "total": 2,
            "queued": 2,
            "in_progress": 0,
            "completed": 0,
            "failed": 0,
            "cancelled": 0,
        },
        "ranking": None,
        "trials": [],
    }
    items = [
        {
            "key": f"reelgen-micro--p{n}",
            "job_id": v["id"],
            "status": "completed",
            "progress": 100,
            "error": None,
        }
        for n, v in enumerate(trials, 1)
    ]

    # Listed as finished (this server has no workers); a finished card is not polled again.
    done = [
        {**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]}
        for v in (*trials, other)
    ]

    def delete(route: Route) -> None:
        if route.request.method != "DELETE":
            return route.fallback()
        route.fulfill(json={"id": ID, "object": "shootout", "deleted": True})

    t = tab()
    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), listing(done))
    t.context.route(lambda url: "/v1/videos?status=queued" in url or "status=in_progress" in url, listing([]))
    t.context.route(lambda url: url.endswith("/v1/shootouts?limit=20"), listing([shootout]))
    t.context.route(f"**/v1/shootouts/{ID}/items", listing(items))
    t.context.route(f"**/v1/shootouts/{ID}", delete)
    page = t.open(f"{quiet_server.url}/#shootouts")
    cards = [page.locator(f'#cards .card[data-id="{v["id"]}"]') for v in (*trials, other)]
    for card in cards:
        expect(card).to_be_visible()
    card = page.locator(f'.parent[data-id="{ID}"]')
    expect(card.locator(".items-box summary")).to_have_text("Trials (2 jobs)")
    card.get_by_role("button", name="Delete").click()
    expect(card).to_have_count(0)
    for gone in cards[:2]:
        expect(gone).to_have_count(0)
    expect(cards[2]).to_be_visible()
    assert t.errors == []
    for v in (*trials, other):
        quiet_server.http.post(f"/v1/videos/{v['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{v['id']}")

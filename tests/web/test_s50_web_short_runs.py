"""A run shorter than half a second is said as such: its queue card said "Made in 0 s" and the gallery
"in 0 s", as if it took no time or the time was unknown."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab, listing


def test_a_run_under_half_a_second_is_made_in_under_a_second(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    quick = quiet_server.create(model="reelgen-micro", prompt="a quick blue dot")
    slow = quiet_server.create(model="reelgen-micro", prompt="a slow red dot")
    done = [
        {
            **v,
            "status": "completed",
            "progress": 100,
            "completed_at": v["created_at"],
            "metrics": {**v["metrics"], "run_seconds": run},
        }
        for v, run in ((quick, 0.313), (slow, 41.6))
    ]

    def latest(route: Route) -> None:
        route.fulfill(json={"object": "list", "data": done, "last_id": None, "has_more": False})

    t = tab()
    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), latest)
    # The server (with no workers) still has them queued: its queue lists say none are.
    t.context.route(lambda url: "/v1/videos?status=queued" in url or "status=in_progress" in url, listing([]))
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    expect(page.locator(f'.card[data-id="{quick["id"]}"] .step')).to_have_text("Made in under a second")
    expect(page.locator(f'.card[data-id="{slow["id"]}"] .step')).to_have_text("Made in 42 s")
    expect(page.locator(f'.gallery-item[data-id="{quick["id"]}"] .params')).to_contain_text(
        "in under a second"
    )
    expect(page.locator(f'.gallery-item[data-id="{slow["id"]}"] .params')).to_contain_text("in 42 s")
    assert t.errors == []
    for v in (quick, slow):
        quiet_server.http.post(f"/v1/videos/{v['id']}/cancel")
        quiet_server.http.delete(f"/v1/videos/{v['id']}")

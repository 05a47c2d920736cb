"""With more jobs waiting than the queue loads, the view says which waiting jobs have no card, not only the count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab

EMPTY = {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}


def test_the_queue_says_the_waiting_jobs_it_shows_no_card_for(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = [quiet_server.create(model="reelgen-micro", prompt=f"take {n}") for n in range(4)]
    # As a server with 130 waiting answers: the 20 newest are the last two in line, the first 100
    # in line (asked for by the poll) start with the first two; 3rd to 128th are in neither.
    jobs = {
        v["id"]: {**v, "created_at": created, "queue_position": ahead}
        for v, created, ahead in zip(made, (1000, 1001, 2000, 2001), (0, 1, 128, 129), strict=True)
    }
    old, new = list(jobs.values())[:2], list(jobs.values())[2:]

    def listing(data: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"],
            "last_id": data[-1]["id"],
            "has_more": True,
        }

    def answer(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.path == "/v1/videos" and "status=queued" in url.query:
            route.fulfill(json=listing(old))
        elif url.path == "/v1/videos" and "status=in_progress" in url.query:
            route.fulfill(json=EMPTY)
        elif url.path == "/v1/videos":
            route.fulfill(json=listing(new[::-1]))
        elif url.path.removeprefix("/v1/videos/") in jobs:
            route.fulfill(json=jobs[url.path.removeprefix("/v1/videos/")])
        else:
            route.fallback()

    t = tab()
    t.context.route("**/v1/videos**", answer)
    try:
        page = t.open(quiet_server.url)
        expect(page.locator("#cards > li")).to_have_count(4)
        expect(page.locator("#queue-summary")).to_have_text("0 running, 130 waiting")
        expect(page.locator("#queue-gap")).to_have_text(
            "126 more jobs waiting (3rd to 128th in line) have no card here: the queue shows the 20 newest"
            " jobs and the first 100 in line, and each gets its card as it moves into the first 100."
        )
        expect(page.locator("#queue-gap")).to_be_visible()
        said = page.evaluate(
            """async () => { const { gapText } = await import("./js/queue_order.js");
            const q = (p) => ({ status: "queued", queue_position: p });
            return [gapText([q(0), q(2)]), gapText([q(0), q(1)]), gapText([])]; }"""
        )
        assert said[0].startswith("1 more job waiting (2nd in line) has no card here:"), said
        assert said[1:] == ["", ""]
        assert t.errors == []
    finally:
        for video in made:
            quiet_server.http.delete(f"/v1/videos/{video['id']}")


def test_the_queue_with_every_waiting_job_shown_says_nothing_more(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = quiet_server.create(model="reelgen-micro", prompt="the only one")
    t = tab()
    try:
        page = t.open(quiet_server.url)
        expect(page.locator(f'.card[data-id="{made["id"]}"]')).to_have_attribute("data-status", "queued")
        expect(page.locator("#queue-summary")).to_contain_text("waiting")
        expect(page.locator("#queue-gap")).to_be_hidden()
        assert t.errors == []
    finally:
        quiet_server.http.delete(f"/v1/videos/{made['id']}")

"""The queue with more jobs waiting than the page loads at once: newest first, the count the server's, the gap said."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab


def test_jobs_found_by_polling_go_below_newer_ones_and_all_waiting_are_counted(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = [quiet_server.create(model="reelgen-micro", prompt=f"take {n}") for n in range(4)]
    # As a server with 130 waiting answers: the page loads the 20 newest (the last two in line),
    # then asks for the first 100 in line (the first two) and is told there are more.
    jobs: dict[str, dict[str, Any]] = {}
    for video, created, ahead in zip(made, (1000, 1001, 2000, 2001), (0, 1, 128, 129), strict=True):
        jobs[video["id"]] = {**video, "created_at": created, "queue_position": ahead}
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
            route.fulfill(
                json={"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
            )
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
        cards = page.locator("#cards > li")
        expect(cards).to_have_count(4)
        expect(page.locator("#queue-summary")).to_have_text("0 running, 130 waiting")
        # Newest on top, as the first 20 were; the oldest (next in line) at the bottom.
        expect(cards.locator(".card-title")).to_have_text(["take 3", "take 2", "take 1", "take 0"])
        expect(cards.last.locator(".position")).to_have_text("Next in line")
        # The 126 waiting between the two loads have no card, and the view says so, not only the count.
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

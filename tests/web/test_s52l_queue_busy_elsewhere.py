"""While a project's render held the one worker, the queue's head read "0 running, 3 waiting" beside
"Waiting for a free worker", where GET /v1/system named the worker busy: the head now says what holds it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab


def system(busy_job: str | None) -> Callable[[Route], None]:
    worker: dict[str, Any] = {"id": "worker-0", "alive": True, "busy_job": busy_job, "loaded_models": []}
    return lambda route: route.fulfill(json={"workers": [worker], "queue": {}, "detail": {}})


def test_the_queue_says_the_worker_is_busy_with_a_job_it_has_no_card_for(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    made = quiet_server.create(model="reelgen-micro", prompt="waits behind a project")
    t = tab()
    try:
        t.page.route("**/v1/system", system("video_0123456789abcdef0123456789abcdef"))
        page = t.open(quiet_server.url)
        expect(page.locator(f'.card[data-id="{made["id"]}"]')).to_have_attribute("data-status", "queued")
        head = page.locator("#queue-summary")
        expect(head).to_contain_text(
            "waiting; the worker is busy with a job from Projects, Batches or Shoot-outs"
        )
        expect(head).not_to_contain_text("0 running")
        # The worker free again (or busy with a card's own job): the plain count comes back.
        page.unroute("**/v1/system")
        page.route("**/v1/system", system(None))
        expect(head).to_have_text(re.compile(r"^0 running, \d+ waiting$"))
        assert t.errors == []
    finally:
        quiet_server.http.delete(f"/v1/videos/{made['id']}")

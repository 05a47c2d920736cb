"""A running job's Cancel says it was heard while the run goes on to its next step.

The server stops a running job at its next step (a model still loading: minutes later), and answers the
cancel with the job still running. The card kept its Cancel button and its "Loading the model" line as if
the click had done nothing, so people pressed it again and again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab


def test_cancel_of_a_running_job_shows_cancelling_until_it_stops(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    video = quiet_server.create(model="reelgen-micro", prompt="a long render")
    cancels: list[str] = []

    def still_running(route: Route) -> None:
        """The server's answer for a job mid-run: the cancel is taken, the job is still in progress."""
        cancels.append(route.request.url)
        answer: dict[str, Any] = {**video, "status": "in_progress", "queue_position": None}
        route.fulfill(json=answer)

    t = tab()
    t.page.route(f"**/v1/videos/{video['id']}/cancel", still_running)
    page = t.open(quiet_server.url)
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    card.get_by_role("button", name="Cancel").focus()
    page.keyboard.press("Enter")
    stopping = card.get_by_role("button", name="Cancelling…")
    expect(stopping).to_be_disabled()
    expect(stopping).to_be_focused()  # a keyboard user stays on the card, not thrown back to the page's top
    expect(card.locator(".card-error")).to_be_hidden()
    page.keyboard.press("Enter")  # no second cancel goes out
    expect(card).to_have_attribute("data-status", "in_progress")
    assert len(cancels) == 1
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")  # leaves the shared server's queue as it was

"""A running card's time left, as the step line says it."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from reelgen.api.sse import format_event
from tests.web.conftest import Served, Tab
from tests.web.test_page_offline import RECORD_STEPS, shown_running


def test_the_last_fraction_of_a_second_is_not_called_zero_seconds(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # reelgen-micro's steps take a fraction of a second on a CPU: at step 18 of 20 the card said
    # "about 0 s left", which reads as done while two steps were still to run.
    video = quiet_server.create(model="reelgen-micro")
    t = tab()
    near = {"stage": "denoise", "step": 18, "total": 20, "progress": 90, "eta_s": 0.4}
    body = format_event("open", {"after": 0}, retry_ms=60_000) + format_event("progress", near, event_id=1)

    def events(route: Route) -> None:
        route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=body)

    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), shown_running(video["id"]))
    t.context.route(f"**/v1/videos/{video['id']}/events", events)
    t.page.add_init_script(RECORD_STEPS)
    t.page.goto(quiet_server.url)
    card = t.page.locator(f'.card[data-id="{video["id"]}"]')
    # The stream ends after this event, so the line moves on to "reconnecting"; every text it showed is kept.
    expect(card.locator(".step")).to_have_text("No word from the server; reconnecting…")
    steps: list[str] = t.page.evaluate("window.steps")
    assert "Generating: step 18 of 20 · under a second left" in steps, steps
    assert not any("0 s left" in s for s in steps), steps
    assert t.errors == []
    quiet_server.http.delete(f"/v1/videos/{video['id']}")

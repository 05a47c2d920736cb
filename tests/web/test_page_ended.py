"""A queue card whose run ended without a video: what stays on it once the run is over."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from reelgen.api.sse import format_event
from tests.web.conftest import Served, Tab

#: A 1x1 PNG, the worker's preview of the clip being formed.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"


def test_a_cancelled_run_drops_its_last_preview(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    """Cancelled at step 1: the preview of that step (noise) went on standing on the card beside
    "Cancelled", as if it were what the run made. A page loaded later showed none."""
    video = quiet_server.create(model="reelgen-micro", prompt="a green triangle spins")
    # Cancelled on the server (its listings agree with the end the stream tells of), but listed to the
    # page as running, with the stream below, as a live server's worker would have run it to step 1.
    assert quiet_server.http.post(f"/v1/videos/{video['id']}/cancel").status_code == 200
    t = tab()
    step = {"stage": "denoise", "step": 1, "total": 20, "progress": 5, "preview": PIXEL}
    error = {"code": "cancelled", "message": "run cancelled by request; no file was written"}
    ended = {**video, "status": "cancelled", "progress": 5, "error": error}
    body = format_event("open", {"after": 0}, retry_ms=60_000)
    body += format_event("started", {"status": "in_progress", "attempt": 1}, event_id=1)
    body += format_event("progress", step, event_id=2)
    body += format_event("cancelled", {"status": "cancelled", "error": error, "video": ended}, event_id=3)

    def running(route: Route) -> None:
        listing = route.fetch().json()
        for v in listing["data"]:
            if v["id"] == video["id"]:
                v.update(status="in_progress", error=None)
        route.fulfill(json=listing)

    def events(route: Route) -> None:
        route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=body)

    t.context.route(lambda url: url.endswith("/v1/videos?limit=20"), running)
    t.context.route(f"**/v1/videos/{video['id']}/events", events)
    t.page.add_init_script("""
      window.previewShown = false;
      new MutationObserver(() => {
        for (const img of document.querySelectorAll(".card img.preview")) {
          if (!img.hidden) window.previewShown = true;
        }
      }).observe(document, { subtree: true, childList: true, attributes: true });
    """)
    t.page.goto(quiet_server.url)
    card = t.page.locator(f'.card[data-id="{video["id"]}"]')
    expect(card.locator(".status")).to_have_text("Cancelled")
    expect(card.locator(".card-error")).to_have_text("run cancelled by request; no file was written")
    expect(card.locator("img.preview")).to_be_hidden()
    assert t.page.evaluate("window.previewShown"), "the step's preview was never shown"
    assert card.get_by_role("button").all_inner_texts() == ["Remix", "Delete"]
    assert t.errors == []
    quiet_server.http.delete(f"/v1/videos/{video['id']}")

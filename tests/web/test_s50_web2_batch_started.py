"""A batch started without a name was announced to screen readers by its full job id ("Batch started:
video_5e1f..."), while its card is titled "Batch 5e1f0000": now it is announced by that title."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Route, expect

from tests.web.conftest import Served, Tab, listing
from tests.web.test_s50_web2_parent_cards import _batch

ID = "video_5e1f0000000000000000000000000063"


def test_a_batch_started_without_a_name_is_announced_as_its_card_names_it(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    started = {**_batch(ID, "", 0), "name": None, "status": "queued", "summary": None, "progress": 0}

    def start(route: Route) -> None:
        if route.request.method != "POST":
            return route.fallback()
        route.fulfill(status=202, json=started)

    t = tab()
    t.context.route(lambda url: url.endswith("/v1/batches?limit=20"), listing([]))
    t.context.route("**/v1/batches", start)
    t.context.route(f"**/v1/batches/{ID}/**", lambda route: route.abort())
    page = t.open(f"{quiet_server.url}/#batches")
    form = page.locator("#batch-form")
    form.get_by_label("Manifest (JSON)").fill('{"items": [{"output": "a", "images": ["a.png"]}]}')
    form.get_by_label("Folder on the server", exact=True).fill("/shots")
    form.get_by_role("button", name="Start batch").click()
    expect(page.locator(f'.parent[data-id="{ID}"] .card-title')).to_have_text("Batch 5e1f0000")
    expect(page.locator("#announcer")).to_have_text("Batch started: Batch 5e1f0000")

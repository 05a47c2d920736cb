"""A shoot-out's results.json is saved under a name that says which shoot-out it is."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing
from tests.web.test_s44c_shootout_no_score import ID, SHOOTOUT


def test_download_results_names_the_models_compared_and_the_short_id(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Saved as results-video_5e1f0000000000000000000000000c44.json: "video_" of a shoot-out, and
    # nothing of which models it compared.
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/shootouts?limit=20"), listing([SHOOTOUT]))
    t.context.route(f"**/v1/shootouts/{ID}/items", listing([]))
    t.context.route(lambda url: url.endswith("/v1/batches?limit=20"), listing([]))
    t.context.route(f"**/v1/shootouts/{ID}/results", lambda route: route.fulfill(json={"trials": []}))
    page = t.open(f"{quiet_server.url}/#shootouts")
    card = page.locator(f'.parent[data-id="{ID}"]')
    with page.expect_download() as saved:
        card.get_by_role("button", name="Download results.json").click()
    assert saved.value.suggested_filename == "shootout-reelgen-micro-vs-wan-i2v-tiny-5e1f0000-results.json"
    expect(card.get_by_role("button", name="Download results.json")).to_be_visible()
    assert t.errors == []

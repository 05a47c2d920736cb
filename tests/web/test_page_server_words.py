"""The page says where the weights are as the server, not "this machine": the browser may be on another one."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_ready_models_are_said_to_be_on_the_server(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    # Opened from a laptop against a GPU box, "Only models ready on this machine" and "✓ Weights on this
    # machine" spoke of the laptop, while the not-downloaded lines already said "on this server".
    t = tab()
    page = t.open(quiet_server.url)
    expect(page.get_by_label("Only models ready on this server")).not_to_be_checked()
    group = page.locator("#f-model optgroup").first
    assert (group.get_attribute("label") or "").startswith("Ready on this server ("), group.get_attribute(
        "label"
    )
    page.select_option("#f-model", "reelgen-micro")
    expect(page.locator("#model-weights")).to_have_text("✓ Weights on this server (ships inside reelgen).")
    assert "this machine" not in page.locator("body").inner_text()
    assert t.errors == []

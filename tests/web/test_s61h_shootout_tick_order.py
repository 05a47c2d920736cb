"""The Shoot-outs form says its models "run in the order ticked", but it sent the ticked boxes in the
list's order: ticking reelgen-micro and then ltx-tiny ran (and titled) "ltx-tiny vs reelgen-micro".
It now sends them in the order they were ticked; one unticked and ticked again goes last."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab


def test_models_go_in_the_order_they_were_ticked(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#shootouts")
    form = page.locator("#shootout-form")
    expect(form.locator("#sf-models-hint")).to_contain_text("in the order you tick them")
    for name in ("reelgen-micro", "wan-tiny", "ltx-tiny"):
        form.get_by_label(name, exact=True).check()
    form.get_by_label("wan-tiny", exact=True).uncheck()
    form.get_by_label("wan-tiny", exact=True).check()
    form.get_by_label("Prompts", exact=True).fill("a red ball")
    form.get_by_label("Report folder on the server").fill("/srv/compare")
    with page.expect_request(lambda r: r.url.endswith("/v1/shootouts") and r.method == "POST") as sent:
        form.get_by_role("button", name="Start shoot-out").click()
    assert json.loads(sent.value.post_data or "")["models"] == ["reelgen-micro", "ltx-tiny", "wan-tiny"]
    assert t.errors == []
